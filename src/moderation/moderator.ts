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
import type { ImageClassifier } from './classifier.ts';
import { harmfulClass, promptTermMatcher } from './policy.ts';

export class ContentModerator {
  private readonly settings: ModerationSettings;
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

  /** Throws HARMFUL_CONTENT naming the first field whose image reaches a blocking class. */
  async checkImages(images: { field: string; raster: Raster }[]): Promise<void> {
    const classifier = this.classifier;
    if (!classifier) return;
    // One after the other: the classifier thread takes one image at a time anyway.
    for (const { field, raster } of images) {
      const found = harmfulClass(await classifier.classify(raster), this.settings);
      if (found !== null) throw new ApiError('HARMFUL_CONTENT', `${field}: the image is judged to be sexual content`);
    }
  }

  /** Loads the classifier's model ahead of the first call (nothing when images are not checked). */
  async warm(): Promise<void> {
    await this.classifier?.ready();
  }

  async close(): Promise<void> {
    await this.classifier?.close();
  }
}
