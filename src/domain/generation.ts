/**
 * The two API calls as services: API 1 (try-on) and API 2 (edit by prompt). One flow for both:
 *
 *   prompt terms (API 2) → presets known? → cache lookup (when every image is a preset) → reserve
 *   credits → fetch images and check their headers → wait for an admission slot → decode → classify
 *   every non-preset image (HARMFUL_CONTENT) → cache lookup (policy `all`)
 *   → queue.run (engine in a worker) → take an encoding place, release the slot → WebP result +
 *   grey mask (RGBA when the person photo has transparency) → store both → cache put → charge.
 *
 * Any error after the reservation releases it, so a failed call costs nothing; the error is
 * rethrown for the HTTP layer to map. No HTTP and no SQL here.
 */
import type { CachePolicy } from '../config/index.ts';
import type { EngineResult } from '../engine/types.ts';
import { composeResultRgba, unflattenOnWhite } from '../imaging/alpha.ts';
import { encodeWebp, greyMaskImage } from '../imaging/encode.ts';
import type { DecodedImage, ImageFieldValue, InspectedImage } from '../imaging/input.ts';
import type { ContentModerator } from '../moderation/moderator.ts';
import type { Admission } from '../queue/admission.ts';
import type { EngineJob, JobQueue } from '../queue/types.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PublicUrls } from '../storage/public-urls.ts';
import { cacheable, cacheKey, type CacheEntry, type ResultCache } from './cache.ts';
import type { CallStage } from './call-stages.ts';
import type { CallsPerKey } from './calls-per-key.ts';
import type { CreditService } from './credits.ts';
import { ApiError } from './errors.ts';
import { newId } from './ids.ts';
import type { PromptParams, TryOnParams } from './params.ts';
import type { UsageRow } from './usage.ts';
import type { Preset, PresetService } from './presets.ts';
import { tryOnView, type TryOnVariation, type TryOnView } from '../sampling/tryon-variations.ts';

/**
 * Resolves one image field (any of the four input forms) to its bytes with the header checked;
 * 10004 on bad input. Decoding (`decode()`) is left for after admission.
 */
export type InspectImage = (field: string, value: ImageFieldValue) => Promise<InspectedImage>;

export interface CallContext {
  requestId: string;
  userId: string;
  /** The API key of the call (the per-key cap on engine calls counts by it). */
  keyId: string;
  /** The cap on the key's calls in progress set for its user (null or absent: settings.maxJobsPerKey). */
  maxInProgress?: number | null;
  /** The call's usage row as of its charge; written in the charge's own statement. */
  usage?: (outcome: { cacheHit: boolean; engineMs: number | null; resultKey: string; maskKey: string }) => UsageRow;
  /** Told when the call's work reaches each stage, `queued` first (async jobs show it as their progress). */
  onStage?: (stage: CallStage) => void;
}

export interface CallOutcome {
  resultImgUrl: string;
  maskImgUrl: string;
  cacheHit: boolean;
  /** The engine's stage timings (empty on a cache hit). */
  timings: Record<string, number>;
  /** Milliseconds spent in queue.run (null on a cache hit). */
  engineMs: number | null;
  /** The service's own stages around the engine, ms: images (resolve + decode), moderation, encode, store, credits. */
  serviceTimings: Record<string, number>;
}

export interface GenerationDeps {
  queue: JobQueue;
  credits: CreditService;
  presets: PresetService;
  cache: ResultCache;
  store: ObjectStore;
  urls: PublicUrls;
  inspectImage: InspectImage;
  /** Slots for expensive work (decode, engine), shared with nothing else: one per engine worker. */
  admission: Admission;
  /**
   * Places for encoding results, as many as `admission` has slots: a call takes one when its
   * engine run is done and only then gives its slot back (src/queue/admission.ts).
   */
  encoding: Admission;
  /** The cap on each key's calls in progress (from arrival to answer: cache hits, admission waits and engine runs alike). */
  callsPerKey: CallsPerKey;
  /** HARMFUL_CONTENT checks (prompt terms, image classifier); absent = none. */
  moderator?: ContentModerator;
  engine: { id: string; version: string };
  settings: { cache: CachePolicy; cacheHitCharge: boolean; costTryon: number; costPrompt: number; maxJobsPerKey: number };
}

/** The WebP files of a result, encoded and not stored yet. */
interface EncodedResult {
  resultWebp: Buffer;
  maskWebp: Buffer;
}

/**
 * What an admitted call ends with: a cache hit found after decoding, or an engine result with the
 * encoding place it holds (encoded after the slot is given back, then stored: the slot is for
 * decoding and the engine).
 */
type Admitted =
  | { hit: CacheEntry }
  | { model: DecodedImage; result: EngineResult; engineMs: number; releaseEncoding: () => void };

/** An image field after the cheap first look: a preset we hold, or a value still to decode. */
type ImageRef = { field: string; preset: Preset } | { field: string; value: ImageFieldValue };

/** Failures of a leading call that its followers share: they are about the inputs, not the caller. */
/**
 * A person photo with transparency needs the engine's pixel shares (diagnostics) to get its alpha
 * back (storeResult, imaging/alpha.ts); an opaque one does not, and asking costs the engine
 * full-resolution passes.
 */
export function wantsShares(model: DecodedImage): boolean {
  return model.alpha !== undefined;
}

const SHARED_FAILURES: ReadonlySet<string> = new Set(['TRY_ON_EXCEPTION', 'INVALID_PARAM', 'HARMFUL_CONTENT']);

/** The leading call of a coalesced cache miss settles its followers with its result or failure. */
interface Lead {
  done(entry: CacheEntry): void;
  fail(err: unknown): void;
}

export class GenerationService {
  private readonly deps: GenerationDeps;
  /** Cache keys being computed now → the stored result, for identical calls that arrive meanwhile. */
  private readonly inflight = new Map<string, Promise<CacheEntry>>();

  constructor(deps: GenerationDeps) {
    this.deps = deps;
  }

  /**
   * API 1. `variation` (a /v1/tryon job's later samples, src/sampling/tryon-variations.ts): the
   * engine runs on that view of the photos and its result is mapped back; it is part of the cache key.
   */
  async tryOn(
    ctx: CallContext,
    images: { modelImg: ImageFieldValue; garmentImg: ImageFieldValue },
    params: TryOnParams,
    variation: TryOnVariation = 'as-is',
  ): Promise<CallOutcome> {
    let view: TryOnView | null = null;
    return this.execute(ctx, {
      route: 'tryon',
      cost: this.deps.settings.costTryon,
      images: [
        ['modelImg', images.modelImg],
        ['garmentImg', images.garmentImg],
      ],
      // The plain try-on keeps the cache key it always had.
      params: { category: params.category, garmentDesc: params.garmentDesc ?? null, ...(variation === 'as-is' ? {} : { variation }) },
      seed: null,
      job: ([model, garment]) => {
        view = tryOnView(variation, { model: model.raster, garment: garment.raster, category: params.category, garmentDesc: params.garmentDesc, diagnostics: wantsShares(model) });
        return { kind: 'tryon', request: view.request };
      },
      restore: (result) => (view ? view.restore(result) : result),
    });
  }

  async editByPrompt(ctx: CallContext, images: { modelImg: ImageFieldValue }, params: PromptParams): Promise<CallOutcome & { seed: number }> {
    // Before anything is reserved or looked up: a refused prompt costs nothing and reads no image.
    this.deps.moderator?.checkPrompt('prompt', params.prompt);
    const outcome = await this.execute(ctx, {
      route: 'prompt',
      cost: this.deps.settings.costPrompt,
      images: [['modelImg', images.modelImg]],
      params: { prompt: params.prompt, seed: params.seed, guidanceScale: params.guidanceScale, steps: params.steps },
      seed: params.seed,
      job: ([model]) => ({
        kind: 'prompt',
        request: { model: model.raster, prompt: params.prompt, seed: params.seed, guidanceScale: params.guidanceScale, steps: params.steps, diagnostics: wantsShares(model) },
      }),
    });
    return { ...outcome, seed: params.seed };
  }

  private async execute(
    ctx: CallContext,
    call: {
      route: 'tryon' | 'prompt';
      cost: number;
      images: [string, ImageFieldValue][];
      params: Record<string, string | number | null>;
      seed: number | null;
      job: (decoded: DecodedImage[]) => EngineJob;
      /** Maps the engine's result on the job's view back to the photo (default: as it is). */
      restore?: (result: EngineResult) => EngineResult;
    },
  ): Promise<CallOutcome> {
    const { credits, settings } = this.deps;
    ctx.onStage?.('queued');
    // The key's place is taken before anything else, the cache lookup included: a preset-pair call
    // answered from the cache, or waiting for an identical call's engine run, is in progress too.
    const leave = await this.deps.callsPerKey.enter(ctx.keyId, ctx.maxInProgress ?? settings.maxJobsPerKey);
    try {
      const refs = await Promise.all(call.images.map(([field, value]) => this.firstLook(field, value)));
      const allPresets = refs.every((r) => 'preset' in r);
      const useCache = cacheable(settings.cache, allPresets);
      const keyFor = (hashes: string[]) =>
        cacheKey({
          engine: this.deps.engine,
          route: call.route,
          images: Object.fromEntries(refs.map((r, i) => [r.field, hashes[i]])),
          params: call.params,
        });

      // Every image a preset: the key is known without decoding anything.
      let key: string | null = null;
      let lead: Lead | null = null;
      if (useCache && allPresets) {
        key = keyFor(refs.map((r) => ('preset' in r ? r.preset.sha256 : '')));
        const cached = await this.deps.cache.get(key);
        const joined = cached ? { entry: cached } : await this.joinOrLead(key);
        if ('entry' in joined) {
          // A cached result, or the one an identical call in flight just made: charged as a cache hit.
          if (settings.cacheHitCharge) {
            await credits.reserveAndCharge(ctx.userId, ctx.requestId, call.cost, ctx.usage?.({ cacheHit: true, engineMs: null, resultKey: joined.entry.resultKey, maskKey: joined.entry.maskKey }));
          }
          return this.hitOutcome(joined.entry);
        }
        lead = joined.lead;
      }
      try {
        return await this.run(ctx, call, refs, key, keyFor, lead);
      } catch (err) {
        lead?.fail(err);
        throw err;
      }
    } finally {
      leave();
    }
  }

  /** The call's own work from the reservation on (see execute); settles `lead` when it has a result. */
  private async run(
    ctx: CallContext,
    call: { cost: number; seed: number | null; job: (decoded: DecodedImage[]) => EngineJob; restore?: (result: EngineResult) => EngineResult },
    refs: ImageRef[],
    presetKey: string | null,
    keyFor: (hashes: string[]) => string,
    presetLead: Lead | null,
  ): Promise<CallOutcome> {
    const { credits, queue, settings } = this.deps;
    const useCache = cacheable(settings.cache, refs.every((r) => 'preset' in r));
    let key = presetKey;
    let lead = presetLead;

    const serviceTimings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (stage: string) => {
      const now = performance.now();
      serviceTimings[stage] = (serviceTimings[stage] ?? 0) + (now - mark);
      mark = now;
    };
    await credits.reserve(ctx.userId, ctx.requestId, call.cost);
    lap('credits');
    try {
      // Cheap, outside admission: downloads and header checks, so a bad image is refused at once
      // and waiting calls hold only encoded bytes.
      const inspected = await Promise.all(refs.map((r) => ('preset' in r ? null : this.deps.inspectImage(r.field, r.value))));
      lap('images');
      const done = await this.deps.admission.run(async (): Promise<Admitted> => {
        lap('admission');
        ctx.onStage?.('analysing');
        const decoded = await Promise.all(
          refs.map((r, i) => ('preset' in r ? this.deps.presets.load(r.preset, r.field) : (inspected[i] as InspectedImage).decode())),
        );
        lap('images');
        // Every image a client sent (presets are the operator's, already vetted) before any other work.
        const moderator = this.deps.moderator;
        if (moderator?.checksImages) {
          await moderator.checkImages(refs.flatMap((r, i) => ('preset' in r ? [] : [{ field: r.field, raster: decoded[i].raster, sha256: decoded[i].sha256 }])));
          lap('moderation');
        }
        if (useCache && key === null) {
          key = keyFor(decoded.map((d) => d.sha256));
          const hit = await this.deps.cache.get(key, { recheck: true });
          if (hit) return { hit };
          const joined = await this.joinOrLead(key);
          if ('entry' in joined) return { hit: joined.entry };
          lead = joined.lead;
        }
        mark = performance.now();
        ctx.onStage?.('rendering');
        const ran = await queue.run(call.job(decoded), { requestId: ctx.requestId });
        const result = call.restore ? call.restore(ran) : ran;
        const engineMs = Math.round(performance.now() - mark);
        mark = performance.now();
        ctx.onStage?.('saving');
        // The engine is done: the slot goes to the next call once this one has a place to encode in.
        const releaseEncoding = await this.deps.encoding.acquire();
        return { model: decoded[0], result, engineMs, releaseEncoding };
      });
      if ('hit' in done) {
        if (settings.cacheHitCharge) await credits.charge(ctx.requestId, ctx.usage?.({ cacheHit: true, engineMs: null, resultKey: done.hit.resultKey, maskKey: done.hit.maskKey }));
        else await credits.release(ctx.requestId);
        lap('credits');
        return { ...this.hitOutcome(done.hit), serviceTimings };
      }
      const { result, engineMs } = done;
      let encoded: EncodedResult;
      try {
        encoded = await this.encodeResult(done.model, result);
      } finally {
        done.releaseEncoding();
      }
      lap('encode');
      const entry = await this.storeResult(encoded, call.seed);
      if (key !== null) await this.deps.cache.put(key, entry);
      lead?.done(entry);
      lap('store');
      await credits.charge(ctx.requestId, ctx.usage?.({ cacheHit: false, engineMs, resultKey: entry.resultKey, maskKey: entry.maskKey }));
      lap('credits');
      return { ...this.urlsOf(entry), cacheHit: false, timings: result.timings, engineMs, serviceTimings };
    } catch (err) {
      lead?.fail(err);
      await credits.release(ctx.requestId);
      throw err;
    }
  }

  /**
   * Coalescing of identical cache misses: the first call for a key leads (runs the engine), calls
   * for the same key that arrive meanwhile wait for its result instead of running the engine again.
   * A leader's failure that belongs to the inputs (the engine refused them, a bad parameter) is the
   * followers' answer too; any other failure (the leader's own credits, an overload, a crash) sends
   * them back to try for themselves, one of them leading next. Check and registration happen in one
   * synchronous step, so two calls cannot both lead.
   */
  private async joinOrLead(key: string): Promise<{ entry: CacheEntry } | { lead: Lead }> {
    for (;;) {
      const running = this.inflight.get(key);
      if (!running) return { lead: this.startLead(key) };
      try {
        return { entry: await running };
      } catch (err) {
        if (err instanceof ApiError && SHARED_FAILURES.has(err.errorName)) throw err;
      }
    }
  }

  private startLead(key: string): Lead {
    let resolve!: (entry: CacheEntry) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<CacheEntry>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be following: a failure without followers is not an unhandled rejection.
    promise.catch(() => undefined);
    this.inflight.set(key, promise);
    let settled = false;
    const settle = () => {
      settled = true;
      if (this.inflight.get(key) === promise) this.inflight.delete(key);
    };
    return {
      done: (entry) => {
        if (settled) return;
        settle();
        resolve(entry);
      },
      fail: (err) => {
        if (settled) return;
        settle();
        reject(err);
      },
    };
  }

  /**
   * Runs `fn` on one image field decoded the way a call decodes it (a preset, one of our own result
   * URLs, an upload or a download), holding an admission slot from decoding to `fn`'s end, since
   * both are CPU work. `/v1/tryon` uses it to decide `category: "auto"` from the garment.
   */
  async withDecodedImage<T>(field: string, value: ImageFieldValue, fn: (image: DecodedImage) => T | Promise<T>): Promise<T> {
    const ref = await this.firstLook(field, value);
    const inspected = 'preset' in ref ? null : await this.deps.inspectImage(field, ref.value);
    return this.deps.admission.run(async () => {
      const decoded = 'preset' in ref ? await this.deps.presets.load(ref.preset, field) : await inspected!.decode();
      return fn(decoded);
    });
  }

  /** Presets (and our own stored objects) are recognised from their URL without any download. */
  private async firstLook(field: string, value: ImageFieldValue): Promise<ImageRef> {
    if (value.kind !== 'text') return { field, value };
    const preset = await this.deps.presets.findByReference(value.text);
    if (preset) return { field, preset };
    // One of our own result or mask URLs (chaining calls): read it from the store, never over HTTP.
    const key = this.deps.urls.keyOf(value.text);
    if (key !== null) {
      const object = await this.deps.store.get(key);
      if (object) return { field, value: { kind: 'file', bytes: await object.bytes() } };
    }
    return { field, value };
  }

  private async encodeResult(model: DecodedImage, result: EngineResult): Promise<EncodedResult> {
    // A person photo with transparency gives an RGBA result and mask image (imaging/alpha.ts); an
    // opaque one the RGB it always gave.
    const alpha = model.alpha;
    const resultImage = alpha ? composeResultRgba(result.image, alpha, result.repaintMask, result.diagnostics) : result.image;
    const modelImage = alpha ? unflattenOnWhite(model.raster, alpha) : model.raster;
    const [resultWebp, maskWebp] = await Promise.all([
      encodeWebp(resultImage),
      encodeWebp(greyMaskImage(modelImage, result.repaintMask)),
    ]);
    return { resultWebp, maskWebp };
  }

  private async storeResult({ resultWebp, maskWebp }: EncodedResult, seed: number | null): Promise<CacheEntry> {
    const id = newId('res');
    const resultKey = `results/${id}.webp`;
    const maskKey = `masks/${id}.webp`;
    await Promise.all([
      this.deps.store.put(resultKey, resultWebp, 'image/webp'),
      this.deps.store.put(maskKey, maskWebp, 'image/webp'),
    ]);
    return { resultKey, maskKey, seed };
  }

  private urlsOf(entry: CacheEntry): { resultImgUrl: string; maskImgUrl: string } {
    return { resultImgUrl: this.deps.urls.fileUrl(entry.resultKey), maskImgUrl: this.deps.urls.fileUrl(entry.maskKey) };
  }

  private hitOutcome(entry: CacheEntry): CallOutcome {
    return { ...this.urlsOf(entry), cacheHit: true, timings: {}, engineMs: null, serviceTimings: {} };
  }
}
