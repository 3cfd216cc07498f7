/** Chooses the object store from configuration: an S3 bucket (S3_BUCKET) or files under the data dir. */
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { createFileObjectStore } from './files.ts';
import type { ObjectStore } from './object-store.ts';
import { createPublicUrls, type PublicUrls } from './public-urls.ts';

export async function openObjectStore(config: Config): Promise<ObjectStore & { close?(): void }> {
  if (config.scaleout.s3) {
    const { createS3ObjectStore } = await import('./s3.ts');
    return createS3ObjectStore(config.scaleout.s3);
  }
  return createFileObjectStore(path.join(config.dataDir, 'objects'));
}

/** Result and preset URLs: under the API's `/files/`, or under S3_PUBLIC_URL when set. */
export function publicUrlsFor(config: Config): PublicUrls {
  return createPublicUrls(config.publicUrl ?? `http://127.0.0.1:${config.port}`, { objectBase: config.scaleout.s3?.publicUrl });
}
