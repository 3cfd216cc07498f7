/**
 * Transitional: the prompt engine moved to src/engine/prompt/. The classic engine's index.ts (which
 * this branch must not edit) still imports runPromptEdit from here; the registry no longer does.
 * Delete this file once src/engine/classic/index.ts drops its editByPrompt (see src/engine/registry.ts).
 */
export { runPromptEdit } from '../engine/prompt/edit.ts';
