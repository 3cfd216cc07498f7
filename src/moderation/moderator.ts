/**
 * HARMFUL_CONTENT (10005): the checks a call passes before any engine work. Prompts are checked
 * against the configured term list (cheap, before credits are reserved); every input image that
 * is not an operator's preset is classified once decoded (inside the call's admission slot, so
 * the classifier's work counts against the same limit as the engine's). A refused call costs
 * nothing: the GenerationService releases its reservation like after any error.
 */
import type { ModerationSettings } from '../config/moderation.ts';
import { ApiError } from '../domain/errors.ts';
import type { Raster } from '../imaging/raster.ts';
import type { NsfwScores } from '../vision/nsfw.ts';
import type { ImageClassifier } from './classifier.ts';
import { harmfulClass, promptTermMatcher } from './policy.ts';

/** Classified images remembered by content hash (scores are 5 numbers: 1,024 entries are ~100 KB). */
const SCORE_CACHE_ENTRIES = 1024;

export class ContentModerator {
  private readonly settings: ModerationSettings;
  /** sha256 of decoded pixels → scores, oldest first: clients re-send the same photos often. */
  private readonly scoreCache = new Map<string, NsfwScores>();
  private readonly classifier: ImageClassifier | null;
  private readonly matchPrompt: (prompt: string) => string | null;

  /** `classifier` null: images are not checked (moderation of images off). */
  constructor(settings: ModerationSettings, classifier: ImageClassifier | null) {
    this.settings = settings;
    this.classifier = settings.images ? classifier : null;
    this.matchPrompt = promptTermMatcher(settings.promptTerms);
  }

  /** Whether images are classified (the service skips the work otherwise). */
  get checksImages(): boolean {
    return this.classifier !== null;
  }

  /** Throws HARMFUL_CONTENT naming the field when the prompt holds a refused term. */
  checkPrompt(field: string, prompt: string): void {
    const term = this.matchPrompt(prompt);
    if (term !== null) throw new ApiError('HARMFUL_CONTENT', `${field}: asks for sexual content ("${term}"), which this service does not produce`);
  }

  /**
   * Throws HARMFUL_CONTENT naming the first field whose image reaches a blocking class. `sha256`
   * (of the decoded pixels, as `DecodedImage` has it) lets an image seen recently skip the model.
   */
  async checkImages(images: { field: string; raster: Raster; sha256: string }[]): Promise<void> {
    if (!this.classifier) return;
    // One after the other: the classifier thread takes one image at a time anyway.
    for (const { field, raster, sha256 } of images) {
      const found = harmfulClass(await this.scores(raster, sha256), this.settings);
      if (found !== null) throw new ApiError('HARMFUL_CONTENT', `${field}: the image is judged to be sexual content`);
    }
  }

  private async scores(raster: Raster, sha256: string): Promise<NsfwScores> {
    const known = this.scoreCache.get(sha256);
    if (known) {
      // Most recently used last.
      this.scoreCache.delete(sha256);
      this.scoreCache.set(sha256, known);
      return known;
    }
    const scores = await this.classifier!.classify(raster);
    this.scoreCache.set(sha256, scores);
    if (this.scoreCache.size > SCORE_CACHE_ENTRIES) this.scoreCache.delete(this.scoreCache.keys().next().value as string);
    return scores;
  }

  /** Loads the classifier's model ahead of the first call (nothing when images are not checked). */
  async warm(): Promise<void> {
    await this.classifier?.ready();
  }

  async close(): Promise<void> {
    await this.classifier?.close();
  }
}
