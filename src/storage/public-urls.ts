/**
 * Absolute URLs for stored objects, served at `GET /files/<key>`. The base comes from
 * FITROOM_PUBLIC_URL or, when unset, from the address the server actually bound (known only after
 * `listen`, hence the setter). With `objectBase` (S3_PUBLIC_URL: a public bucket or CDN) objects
 * are linked there instead, `objectBase/<key>`; both forms are recognised as ours.
 */
export interface PublicUrls {
  /** The base without a trailing slash, e.g. `http://127.0.0.1:3000`. */
  base(): string;
  setBase(base: string): void;
  fileUrl(key: string): string;
  /** The object key when `url` is one of our `/files/...` URLs (any host) or under `objectBase`, else null. */
  keyOf(url: string): string | null;
}

export function createPublicUrls(initialBase = 'http://127.0.0.1', options: { objectBase?: string } = {}): PublicUrls {
  let current = initialBase.replace(/\/+$/, '');
  const objectBase = options.objectBase?.replace(/\/+$/, '');
  return {
    base: () => current,
    setBase(base) {
      current = base.replace(/\/+$/, '');
    },
    fileUrl: (key) => (objectBase === undefined ? `${current}/files/${key}` : `${objectBase}/${key}`),
    keyOf(url) {
      const trimmed = url.trim();
      if (objectBase !== undefined && trimmed.startsWith(`${objectBase}/`)) {
        const rest = trimmed.slice(objectBase.length + 1);
        return /^[^?#]+$/.test(rest) ? decodeURIComponent(rest) : null;
      }
      const m = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/files\/([^?#]+)$/.exec(trimmed);
      return m ? decodeURIComponent(m[1]) : null;
    },
  };
}
