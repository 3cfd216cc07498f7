/**
 * The two APIs' text fields, exactly as the contract defines them: which are required; their
 * ranges and defaults are the contract's LIMITS (config/limits.ts). Pure functions from the raw strings a form carries to typed values; every
 * refusal is a 10004 naming the field, what was expected and what came.
 */
import { randomInt } from 'node:crypto';
import { LIMITS } from '../config/limits.ts';
import { CATEGORIES, type Category } from '../engine/types.ts';
import { invalidParam } from './errors.ts';

export const TRYON_TEXT_FIELDS = ['category', 'garmentDesc'] as const;
export const PROMPT_TEXT_FIELDS = ['prompt', 'seed', 'randomize_seed', 'guidance_scale', 'num_inference_steps'] as const;

const { garmentDescChars, promptChars, seed: SEED, guidanceScale: GUIDANCE, inferenceSteps: STEPS } = LIMITS;

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
  if (descLength > garmentDescChars) {
    throw invalidParam('garmentDesc', `at most ${garmentDescChars} characters`, `${descLength} characters`);
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

export function parsePromptParams(fields: TextFields, drawSeed: () => number = () => randomInt(SEED.min, SEED.max + 1)): PromptParams {
  const prompt = fields.prompt?.trim();
  if (fields.prompt === undefined) throw missing('prompt');
  const promptLength = prompt === undefined ? 0 : characterCount(prompt);
  if (prompt === undefined || promptLength < promptChars.min || promptLength > promptChars.max) {
    throw invalidParam('prompt', `${promptChars.min} to ${promptChars.max} characters`, `${promptLength} characters`);
  }

  const seedRaw = fields.seed?.trim();
  const hasSeed = seedRaw !== undefined && seedRaw !== '';
  const givenSeed = hasSeed ? parseIntegerField('seed', seedRaw, SEED.min, SEED.max) : undefined;

  let randomize: boolean;
  const randomizeRaw = fields.randomize_seed?.trim().toLowerCase();
  if (randomizeRaw === undefined || randomizeRaw === '') randomize = !hasSeed;
  else if (randomizeRaw === 'true') randomize = true;
  else if (randomizeRaw === 'false') randomize = false;
  else throw invalidParam('randomize_seed', 'true or false', shown(fields.randomize_seed ?? ''));

  if (!randomize && givenSeed === undefined) {
    throw invalidParam('seed', `an integer from ${SEED.min} to ${SEED.max} when randomize_seed is false (required field is missing)`);
  }

  let guidanceScale: number = GUIDANCE.default;
  const gRaw = fields.guidance_scale?.trim();
  if (gRaw !== undefined && gRaw !== '') {
    const g = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(gRaw) ? Number(gRaw) : Number.NaN;
    if (!Number.isFinite(g) || g < GUIDANCE.min || g > GUIDANCE.max) {
      throw invalidParam('guidance_scale', `a number from ${GUIDANCE.min} to ${GUIDANCE.max}`, shown(fields.guidance_scale ?? ''));
    }
    guidanceScale = g;
  }

  let steps: number = STEPS.default;
  const sRaw = fields.num_inference_steps?.trim();
  if (sRaw !== undefined && sRaw !== '') steps = parseIntegerField('num_inference_steps', sRaw, STEPS.min, STEPS.max);

  return { prompt, seed: randomize ? drawSeed() : givenSeed!, guidanceScale, steps };
}
