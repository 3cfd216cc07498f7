/**
 * Defaults of the content moderation (HARMFUL_CONTENT, 10005), overridable through the environment
 * (src/config/index.ts). A plain module so the eval and bench scripts read the same numbers.
 *
 * Images: nsfwjs's classifier (src/vision/nsfw.ts) scores five classes. Only the pornographic
 * ones block: fashion photos (swimwear, lingerie, bare shoulders) score high on "sexy" (up to 0.99)
 * and that class never blocks. The thresholds are far above the highest score any photo of
 * ../shared/photos and ../shared/photos-wide reached (`npm run eval:moderation`; 201 images,
 * 2026-12: porn at most 0.37, hentai at most 0.32, sexy up to 0.80; 0 refused).
 */

/** Probability of the classifier's "porn" class at or above which an input image is refused. */
export const DEFAULT_PORN_THRESHOLD = 0.8;

/** Probability of the "hentai" class (drawn sexual content) at or above which an image is refused. */
export const DEFAULT_HENTAI_THRESHOLD = 0.8;

/**
 * Words and phrases an API 2 prompt may not contain (whole words, any case). Explicit requests
 * only: garments that show skin (bikini, lingerie, crop top, sheer) are ordinary fashion, and so is
 * "nude" (a colour: nude heels, a nude slip dress), which is therefore not on the list.
 */
export const DEFAULT_PROMPT_TERMS: readonly string[] = Object.freeze([
  'naked',
  'nudity',
  'topless',
  'bottomless',
  'undressed',
  'unclothed',
  'no clothes',
  'without clothes',
  'porn',
  'porno',
  'pornographic',
  'nsfw',
  'xxx',
  'explicit',
  'genitals',
  'genitalia',
  'nipple',
  'nipples',
  'areola',
  'pubic',
  'vagina',
  'penis',
  'sex',
  'sexual',
  'erotic',
  'fetish',
  'bdsm',
]);

export interface ModerationSettings {
  /** Classify every input image (`FITROOM_MODERATION=false` turns this and the prompt terms off). */
  readonly images: boolean;
  /**
   * Load the image classifier at start-up (`FITROOM_MODERATION_PRELOAD`, default true), so the first
   * call does not wait for it; false loads it with the first image to check. The test servers use
   * false: a test server that never receives an image then never pays for the load (about 0.65 s
   * of CPU on this 2-core machine).
   */
  readonly preload: boolean;
  readonly pornThreshold: number;
  readonly hentaiThreshold: number;
  /** Lower-case terms refused in prompts; empty = no prompt check. */
  readonly promptTerms: readonly string[];
}
