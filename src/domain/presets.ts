/**
 * Presets: operator-registered model and garment images with stable URLs under `/files/presets/`.
 * A request names a preset by sending its URL (or its `pre_` id) as the image field; the server then
 * reads the stored image instead of downloading its own URL, and already knows its content hash, so
 * a cached preset pair is answered without decoding anything.
 */
import type { MemoEpoch } from '../cluster/memo-epoch.ts';
import type { Database } from '../db/database.ts';
import type { DecodedImage } from '../imaging/input.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PublicUrls } from '../storage/public-urls.ts';
import { ApiError } from './errors.ts';
import { isId, newId } from './ids.ts';

export type PresetKind = 'model' | 'garment';

export interface Preset {
  id: string;
  kind: PresetKind;
  sha256: string;
  objectKey: string;
  width: number;
  height: number;
}

interface PresetRow {
  id: string;
  kind: PresetKind;
  sha256: string;
  object_key: string;
  width: number;
  height: number;
}

const FORMAT_EXT: Record<DecodedImage['format'], { ext: string; contentType: string }> = {
  jpeg: { ext: 'jpg', contentType: 'image/jpeg' },
  png: { ext: 'png', contentType: 'image/png' },
  webp: { ext: 'webp', contentType: 'image/webp' },
  avif: { ext: 'avif', contentType: 'image/avif' },
};

const PRESET_KEY_RE = /^presets\/(pre_[a-z2-7]{20})\.[a-z]+$/;

function fromRow(row: PresetRow): Preset {
  return { id: row.id, kind: row.kind, sha256: row.sha256, objectKey: row.object_key, width: row.width, height: row.height };
}

/** Decodes untrusted image bytes for `field` (the image-input module, bound to the server's limits). */
export type DecodeBytes = (field: string, bytes: Buffer) => Promise<DecodedImage>;

export class PresetService {
  private readonly db: Database;
  private readonly store: ObjectStore;
  private readonly urls: PublicUrls;
  private readonly decode: DecodeBytes;
  /** Presets by id, memoised. */
  private readonly byId = new Map<string, Preset>();
  private readonly epoch: MemoEpoch | undefined;

  /**
   * `epoch`: on a shared database, where another node may remove a preset, the change counter
   * that drops the memo after any removal (src/cluster/memo-epoch.ts; read at each call's start).
   */
  constructor(deps: { db: Database; store: ObjectStore; urls: PublicUrls; decode: DecodeBytes; epoch?: MemoEpoch }) {
    this.epoch = deps.epoch;
    this.epoch?.register(() => this.byId.clear());
    this.db = deps.db;
    this.store = deps.store;
    this.urls = deps.urls;
    this.decode = deps.decode;
  }

  /** Registers an image (validated like any API input). The same picture twice gives the same preset. */
  async add(kind: PresetKind, bytes: Buffer): Promise<Preset & { url: string }> {
    if (kind !== 'model' && kind !== 'garment') throw new ApiError('INVALID_PARAM', `kind: expected model or garment, got ${String(kind)}`);
    const decoded = await this.decode(kind === 'model' ? 'modelImg' : 'garmentImg', bytes);
    const existing = await this.db.query<PresetRow>('SELECT * FROM presets WHERE kind = $1 AND sha256 = $2', [kind, decoded.sha256]);
    if (existing.rows.length > 0) {
      const preset = fromRow(existing.rows[0]);
      return { ...preset, url: this.urls.fileUrl(preset.objectKey) };
    }
    const id = newId('pre');
    const { ext, contentType } = FORMAT_EXT[decoded.format];
    const objectKey = `presets/${id}.${ext}`;
    await this.store.put(objectKey, bytes, contentType);
    const inserted = await this.db.query<PresetRow>(
      `INSERT INTO presets (id, kind, sha256, object_key, width, height) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, sha256) DO NOTHING RETURNING *`,
      [id, kind, decoded.sha256, objectKey, decoded.width, decoded.height],
    );
    if (inserted.rows.length === 0) {
      // Someone registered the same picture at the same moment: keep theirs.
      await this.store.delete(objectKey);
      return this.add(kind, bytes);
    }
    const preset = fromRow(inserted.rows[0]);
    this.byId.set(preset.id, preset);
    return { ...preset, url: this.urls.fileUrl(preset.objectKey) };
  }

  /** Removes a preset (its file and row); false when there is none. Cached results made from it stay valid. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.db.query<PresetRow>('DELETE FROM presets WHERE id = $1 RETURNING *', [id]);
    this.byId.delete(id);
    if (removed.rows.length === 0) return false;
    await this.store.delete(removed.rows[0].object_key);
    return true;
  }

  async list(): Promise<{ models: { id: string; url: string }[]; garments: { id: string; url: string }[] }> {
    const result = await this.db.query<PresetRow>('SELECT * FROM presets ORDER BY created_at, id');
    const entry = (p: PresetRow) => ({ id: p.id, url: this.urls.fileUrl(p.object_key) });
    return {
      models: result.rows.filter((p) => p.kind === 'model').map(entry),
      garments: result.rows.filter((p) => p.kind === 'garment').map(entry),
    };
  }

  /**
   * The preset a text image value refers to: its id (`pre_...`) or one of its `/files/presets/...`
   * URLs (any host: clients may reach the server by another name). null when it is not a preset.
   */
  async findByReference(text: string): Promise<Preset | null> {
    const value = text.trim();
    let id: string | null = null;
    if (isId('pre', value)) {
      id = value;
    } else if (value.length < 2048) {
      const key = this.urls.keyOf(value);
      const m = key === null ? null : PRESET_KEY_RE.exec(key);
      if (m) id = m[1];
    }
    if (id === null) return null;
    const memo = this.byId.get(id);
    if (memo) return memo;
    const generation = this.epoch?.generation();
    const result = await this.db.query<PresetRow>('SELECT * FROM presets WHERE id = $1', [id]);
    if (result.rows.length === 0) return null;
    const preset = fromRow(result.rows[0]);
    // Not if the memo was dropped meanwhile: the row may have been read before its removal.
    if (this.epoch?.generation() === generation) this.byId.set(id, preset);
    return preset;
  }

  /** Reads and decodes a preset's stored image. */
  async load(preset: Preset, field: string): Promise<DecodedImage> {
    const object = await this.store.get(preset.objectKey);
    if (!object) throw new Error(`preset ${preset.id}: stored object ${preset.objectKey} is missing`);
    return this.decode(field, await object.bytes());
  }
}
