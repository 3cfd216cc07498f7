/**
 * The scale-out ObjectStore: results, masks and presets in an S3-compatible bucket (AWS S3, MinIO,
 * Ceph, s3rver...) through the AWS SDK v3, so every API node of a deployment reads what any other
 * wrote. Keys are the same as the file store's (./object-store.ts).
 *
 * How clients fetch objects (src/storage/public-urls.ts, GET /files/KEY):
 * - S3_PUBLIC_URL set (public bucket or CDN): result URLs point straight at `S3_PUBLIC_URL/KEY`;
 * - S3_PRESIGN_SECONDS > 0: `/files/KEY` answers 302 to a presigned GET URL valid that long;
 * - neither: `/files/KEY` streams the object from the bucket through the API node.
 */
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config/index.ts';
import { contentTypeOfKey, isValidKey, type ObjectStore, type StoredObject } from './object-store.ts';

export interface S3ObjectStore extends ObjectStore {
  /** Checks the bucket answers (readiness). */
  ping(): Promise<void>;
  close(): void;
}

function notFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');
}

export function createS3ObjectStore(config: S3Config): S3ObjectStore {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
  });
  const Bucket = config.bucket;

  const store: S3ObjectStore = {
    async put(key, bytes, contentType) {
      if (!isValidKey(key)) throw new Error(`invalid object key ${JSON.stringify(key)}`);
      if (contentTypeOfKey(key) !== contentType) throw new Error(`object key ${key} does not match content type ${contentType}`);
      // Keys carry random ids and are never rewritten: caches may keep them for a year.
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType, CacheControl: 'public, max-age=31536000, immutable' }));
    },
    async get(key): Promise<StoredObject | null> {
      if (!isValidKey(key)) return null;
      let response;
      try {
        response = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
      const body = response.Body as Readable;
      let consumed = false;
      const stream = () => {
        if (consumed) throw new Error(`object ${key}: body already read`);
        consumed = true;
        return body;
      };
      return {
        contentType: contentTypeOfKey(key)!,
        size: Number(response.ContentLength ?? 0),
        stream,
        async bytes() {
          const chunks: Buffer[] = [];
          for await (const chunk of stream()) chunks.push(Buffer.from(chunk as Uint8Array));
          return Buffer.concat(chunks);
        },
      };
    },
    async delete(key) {
      if (!isValidKey(key)) return;
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async ping() {
      // Any answer from the bucket (even 404 for this key) shows it is reachable and the credentials work.
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: 'readiness-probe.webp' }));
      } catch (err) {
        if (!notFound(err)) throw err;
      }
    },
    close() {
      client.destroy();
    },
  };
  if (config.presignSeconds > 0 && config.publicUrl === undefined) {
    store.presignedUrl = async (key) => {
      if (!isValidKey(key)) return null;
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
      return getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: config.presignSeconds });
    };
  }
  return store;
}
