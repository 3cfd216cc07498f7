/**
 * The engines this build knows, by id. `engineInfo` is cheap (no model loading, no heavy import)
 * so the API process can put id and version in cache keys without touching an engine;
 * `createEngine` imports an engine's code lazily, so a process (or worker) that runs only the test
 * engine never loads OpenCV or tfjs. The worker pool imports this module in each worker thread.
 */
import type { Engine } from './types.ts';
import { CLASSIC_ENGINE_VERSION } from './classic/version.ts';
import { PROMPT_ENGINE_VERSION } from './prompt/version.ts';
import { TEST_ENGINE_VERSION, createTestEngine } from './test/index.ts';

interface EngineEntry {
  version: string;
  /** Model files (under models/) the engine loads: what a worker reports about itself. */
  models: readonly string[];
  create(): Promise<Engine>;
}

/** API 1 from the classic engine, API 2 from the prompt engine, which renders through the classic one. */
const CLASSIC_WITH_PROMPT_VERSION = `${CLASSIC_ENGINE_VERSION}+prompt.${PROMPT_ENGINE_VERSION}`;

const ENGINES: Readonly<Record<string, EngineEntry>> = Object.freeze({
  classic: {
    version: CLASSIC_WITH_PROMPT_VERSION,
    models: ['movenet-thunder', 'movenet-lightning', 'selfie'],
    async create() {
      const [{ createClassicEngine }, { withPromptEditing }] = await Promise.all([import('./classic/index.ts'), import('./prompt/index.ts')]);
      return withPromptEditing(createClassicEngine(), CLASSIC_WITH_PROMPT_VERSION);
    },
  },
  test: {
    version: TEST_ENGINE_VERSION,
    models: [],
    async create() {
      return createTestEngine();
    },
  },
});

export const ENGINE_IDS: readonly string[] = Object.freeze(Object.keys(ENGINES));

function entryFor(id: string): EngineEntry {
  const entry = Object.hasOwn(ENGINES, id) ? ENGINES[id] : undefined;
  if (!entry) throw new Error(`unknown engine "${id}": expected one of ${ENGINE_IDS.join(', ')}`);
  return entry;
}

/** Id and version without loading anything. Throws on an unknown id. */
export function engineInfo(id: string): { id: string; version: string } {
  return { id, version: entryFor(id).version };
}

/** The models an engine loads (names of files under models/), without loading them. */
export function engineModels(id: string): readonly string[] {
  return entryFor(id).models;
}

/** A new, not yet initialised engine (call `init()` before use). Throws on an unknown id. */
export async function createEngine(id: string): Promise<Engine> {
  return entryFor(id).create();
}
