/**
 * The two APIs' text fields, exactly as the contract defines them: which are required, their
 * ranges and defaults. Pure functions from the raw strings a form carries to typed values; every
 * refusal is a 10004 naming the field, what was expected and what came.
 */
import { randomInt } from 'node:crypto';
import { CATEGORIES, type Category } from '../engine/types.ts';
import { invalidParam } from './errors.ts';

export const TRYON_TEXT_FIELDS = ['category', 'garmentDesc'] as const;
export const PROMPT_TEXT_FIELDS = ['prompt', 'seed', 'randomize_seed', 'guidance_scale', 'num_inference_steps'] as const;

export const MAX_GARMENT_DESC = 1000;
export const MAX_PROMPT = 2000;
export const MAX_SEED = 2147483647;

export interface TryOnParams {
  category: Category;
  /** Trimmed; undefined when absent or blank. */
  garmentDesc: string | undefined;
}

export interface PromptParams {
  prompt: string;
  /** The seed the engine will use (drawn at random when randomize_seed is true). */
  seed: number;
  guidanceScale: number;
  steps: number;
}

/** Text fields of a form, by name (absent = undefined). */
export type TextFields = Readonly<Record<string, string | undefined>>;

/** A value shown in an error message: quoted, cut short. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * Length in characters as a person counts them (Unicode code points): an emoji is one character,
 * not the two UTF-16 units `String.length` counts.
 */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function missing(field: string) {
  return invalidParam(field, 'a value (required field is missing)');
}

export function parseTryOnParams(fields: TextFields): TryOnParams {
  const category = fields.category?.trim();
  if (category === undefined || category === '') throw missing('category');
  if (!(CATEGORIES as readonly string[]).includes(category)) {
    throw invalidParam('category', CATEGORIES.join(', ').replace(/, ([^,]*)$/, ' or $1'), shown(category));
  }
  const desc = fields.garmentDesc?.trim();
  const descLength = desc === undefined ? 0 : characterCount(desc);
  if (descLength > MAX_GARMENT_DESC) {
    throw invalidParam('garmentDesc', `at most ${MAX_GARMENT_DESC} characters`, `${descLength} characters`);
  }
  return { category: category as Category, garmentDesc: desc === undefined || desc === '' ? undefined : desc };
}

function parseIntegerField(field: string, raw: string, min: number, max: number): number {
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw invalidParam(field, `an integer from ${min} to ${max}`, shown(raw));
  }
  return Number(v);
}

export function parsePromptParams(fields: TextFields, drawSeed: () => number = () => randomInt(0, MAX_SEED + 1)): PromptParams {
  const prompt = fields.prompt?.trim();
  if (fields.prompt === undefined) throw missing('prompt');
  const promptLength = prompt === undefined ? 0 : characterCount(prompt);
  if (prompt === undefined || promptLength < 1 || promptLength > MAX_PROMPT) {
    throw invalidParam('prompt', `1 to ${MAX_PROMPT} characters`, `${promptLength} characters`);
  }

  const seedRaw = fields.seed?.trim();
  const hasSeed = seedRaw !== undefined && seedRaw !== '';
  const givenSeed = hasSeed ? parseIntegerField('seed', seedRaw, 0, MAX_SEED) : undefined;

  let randomize: boolean;
  const randomizeRaw = fields.randomize_seed?.trim().toLowerCase();
  if (randomizeRaw === undefined || randomizeRaw === '') randomize = !hasSeed;
  else if (randomizeRaw === 'true') randomize = true;
  else if (randomizeRaw === 'false') randomize = false;
  else throw invalidParam('randomize_seed', 'true or false', shown(fields.randomize_seed ?? ''));

  if (!randomize && givenSeed === undefined) {
    throw invalidParam('seed', 'an integer from 0 to 2147483647 when randomize_seed is false (required field is missing)');
  }

  let guidanceScale = 50;
  const gRaw = fields.guidance_scale?.trim();
  if (gRaw !== undefined && gRaw !== '') {
    const g = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(gRaw) ? Number(gRaw) : Number.NaN;
    if (!Number.isFinite(g) || g < 1 || g > 100) throw invalidParam('guidance_scale', 'a number from 1 to 100', shown(fields.guidance_scale ?? ''));
    guidanceScale = g;
  }

  let steps = 28;
  const sRaw = fields.num_inference_steps?.trim();
  if (sRaw !== undefined && sRaw !== '') steps = parseIntegerField('num_inference_steps', sRaw, 1, 50);

  return { prompt, seed: randomize ? drawSeed() : givenSeed!, guidanceScale, steps };
}
