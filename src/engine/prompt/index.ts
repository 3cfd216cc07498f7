/**
 * The prompt engine (API 2): an engine that edits by prompt and renders through another engine's
 * try-on path (see edit.ts). `withPromptEditing` gives a try-on engine this engine's
 * `editByPrompt`.
 */
import type { Engine, EngineResult, PromptRequest } from '../types.ts';
import { runPromptEdit } from './edit.ts';

export { PROMPT_ENGINE_VERSION } from './version.ts';

/** `engine` with API 2 from the prompt engine; initialises `engine` (its models) before each edit. */
export function withPromptEditing(engine: Engine, version: string): Engine {
  return {
    id: engine.id,
    version,
    init: () => engine.init(),
    tryOn: (request) => engine.tryOn(request),
    async editByPrompt(request: PromptRequest): Promise<EngineResult> {
      await engine.init();
      return runPromptEdit(request);
    },
  };
}
