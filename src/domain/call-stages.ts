/**
 * Where a call's work is, in order: waiting (for its photos to download, for an engine slot),
 * reading its photos (decoding, checks), in the engine, storing its result. GenerationService
 * reports each stage it reaches; an async job shows it as its `progress` (src/domain/jobs.ts).
 */
export const CALL_STAGES = ['queued', 'analysing', 'rendering', 'saving'] as const;
export type CallStage = (typeof CALL_STAGES)[number];
