/**
 * `num_samples` on /v1 jobs: how many results one job makes (1 to 4, each charged like a call).
 * A prompt job's samples use consecutive seeds from the job's seed, so they differ and each one
 * can be reproduced through API 2 with its own `seed`.
 */
import { LIMITS } from '../config/limits.ts';
import { invalidParam } from './errors.ts';
import { shown } from './params.ts';

export const SAMPLES_FIELD = 'num_samples';

/** 1..4: the leading hosted try-on API's range. */
export const NUM_SAMPLES = Object.freeze({ min: 1, max: 4 });

export function parseNumSamples(raw: string | undefined): number {
  const value = raw?.trim();
  if (value === undefined || value === '') return NUM_SAMPLES.min;
  if (!/^\d+$/.test(value) || Number(value) < NUM_SAMPLES.min || Number(value) > NUM_SAMPLES.max) {
    throw invalidParam(SAMPLES_FIELD, `an integer from ${NUM_SAMPLES.min} to ${NUM_SAMPLES.max}`, shown(raw ?? ''));
  }
  return Number(value);
}

/** The seed of sample `index` (0-based) of a job whose seed is `seed`, wrapping within the seed range. */
export function sampleSeed(seed: number, index: number): number {
  const span = LIMITS.seed.max - LIMITS.seed.min + 1;
  return LIMITS.seed.min + ((seed - LIMITS.seed.min + index) % span);
}
