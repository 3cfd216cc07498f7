/**
 * Every limit the contract fixes on input (../shared/api-contract.md), in one place: the field
 * validators (domain/params.ts), the image decoder and input resolver, the URL fetcher, the HTTP
 * body reader and the OpenAPI document (api/schemas.ts) all read them here, so a limit cannot say
 * one thing in the docs and another in the code. Not configurable, so no environment is read; a
 * plain module (no zod) so that the CLI and the workers can import it cheaply.
 */

const MB = 1024 * 1024;
const IMAGE_BYTES = 20 * MB;
/** base64 of the largest image: 4 characters per 3 bytes. */
const IMAGE_BASE64_CHARS = Math.ceil(IMAGE_BYTES / 3) * 4;

export const LIMITS = Object.freeze({
  /** Encoded image, per field (MiB, like HTTP body limits). */
  imageBytes: IMAGE_BYTES,
  /** Decoded image area (decimal megapixels, like cameras). */
  imagePixels: 40_000_000,
  /** Shortest side of a decoded image. */
  imageMinSide: 128,
  /** Longest side of a decoded image: the WebP format's limit (results are WebP at the model's size). */
  imageMaxSide: 16383,
  /** Whole request body: two 20 MB images plus text. */
  bodyBytes: 45 * MB,
  /**
   * One part, text or file: large enough for a data URI or base64 of a 20 MB image (base64 grows by
   * 4/3, plus line breaks every 60 characters and a prefix). A file part may carry such text (Python
   * `files=`); an actual image over 20 MB is refused by the decoder with a message naming the limit.
   */
  partBytes: IMAGE_BASE64_CHARS + Math.ceil(IMAGE_BASE64_CHARS / 60) * 2 + 1024,
  /** Parts per request: the API has at most 7 fields; some slack for clients that send extras. */
  parts: 32,
  /** URL downloads. */
  fetchTimeoutMs: 10_000,
  fetchMaxRedirects: 3,
  /** Signed requests: allowed clock skew and replay window. */
  signatureWindowSeconds: 300,
  /** API 1 `garmentDesc`, characters after trimming. */
  garmentDescChars: 1000,
  /** API 2 `prompt`, characters after trimming. */
  promptChars: { min: 1, max: 2000 },
  /** API 2 `seed`. */
  seed: { min: 0, max: 2147483647 },
  /** API 2 `guidance_scale` (a number). */
  guidanceScale: { min: 1, max: 100, default: 50 },
  /** API 2 `num_inference_steps` (an integer). */
  inferenceSteps: { min: 1, max: 50, default: 28 },
});
