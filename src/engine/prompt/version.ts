/**
 * The prompt engine's version (API 2), kept apart from its code so the registry can report it
 * without loading anything. Bump it whenever a prompt edit's output can change; the registry
 * joins it to the classic engine's version, since API 2 renders through the classic engine.
 */
export const PROMPT_ENGINE_VERSION = '2.15.0';
