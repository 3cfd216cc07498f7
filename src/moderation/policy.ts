/**
 * What counts as harmful, as pure functions of the classifier's scores and the prompt text, so the
 * decision is tested with scores injected at the model boundary (no explicit image in the project).
 */
import type { ModerationSettings } from '../config/moderation.ts';
import type { NsfwScores } from '../vision/nsfw.ts';

/** The blocking class an image's scores reach ("porn" or "hentai"), or null when it passes. */
export function harmfulClass(scores: NsfwScores, settings: Pick<ModerationSettings, 'pornThreshold' | 'hentaiThreshold'>): 'porn' | 'hentai' | null {
  if (scores.porn >= settings.pornThreshold) return 'porn';
  if (scores.hentai >= settings.hentaiThreshold) return 'hentai';
  return null;
}

/**
 * A matcher for whole-word, case-insensitive occurrences of any term (a term may be a phrase; its
 * words may be separated by any run of spaces, hyphens or underscores). Letters with accents and
 * full-width forms are folded (NFKD, marks removed) first, so "Ｎｕｄｅ" and "nudé" match "nude".
 */
export function promptTermMatcher(terms: readonly string[]): (prompt: string) => string | null {
  const cleaned = terms.map((t) => fold(t).trim()).filter((t) => t.length > 0);
  if (cleaned.length === 0) return () => null;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternatives = cleaned.map((t) => t.split(/[\s_-]+/).map(escape).join('[\\s_-]+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  return (prompt) => {
    const match = pattern.exec(fold(prompt));
    return match ? match[1].toLowerCase() : null;
  };
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
