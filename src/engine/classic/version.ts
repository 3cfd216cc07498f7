/**
 * The classic engine's version, kept apart from the engine so the registry can report it (cache
 * keys, /readyz) without loading OpenCV or tfjs. Bump it whenever the classic engine's output can change.
 */
export const CLASSIC_ENGINE_VERSION = '0.12.0';
