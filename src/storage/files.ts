/**
 * The embedded ObjectStore: one file per object under `root` (DATA_DIR/objects). Writes go to a
 * temporary file and are renamed into place, so a reader never sees half an image.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOfKey, isValidKey, type ObjectStore, type StoredObject } from './object-store.ts';

export function createFileObjectStore(root: string): ObjectStore {
  fs.mkdirSync(root, { recursive: true });
  const absRoot = path.resolve(root);

  function pathOf(key: string): string | null {
    if (!isValidKey(key)) return null;
    const full = path.resolve(absRoot, key);
    // Belt and braces: the key syntax already forbids traversal.
    if (!full.startsWith(absRoot + path.sep)) return null;
    return full;
  }

  return {
    async put(key, bytes, contentType) {
      const file = pathOf(key);
      if (file === null) throw new Error(`invalid object key ${JSON.stringify(key)}`);
      if (contentTypeOfKey(key) !== contentType) throw new Error(`object key ${key} does not match content type ${contentType}`);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await fsp.writeFile(tmp, bytes);
      await fsp.rename(tmp, file);
    },
    async get(key): Promise<StoredObject | null> {
      const file = pathOf(key);
      if (file === null) return null;
      let stat: fs.Stats;
      try {
        stat = await fsp.stat(file);
      } catch {
        return null;
      }
      if (!stat.isFile()) return null;
      return {
        contentType: contentTypeOfKey(key)!,
        size: stat.size,
        stream: () => fs.createReadStream(file),
        bytes: () => fsp.readFile(file),
      };
    },
    async delete(key) {
      const file = pathOf(key);
      if (file === null) return;
      await fsp.rm(file, { force: true });
    },
  };
}
