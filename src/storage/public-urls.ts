/**
 * Absolute URLs for stored objects, served at `GET /files/<key>`. The base comes from
 * FITROOM_PUBLIC_URL or, when unset, from the address the server actually bound (known only after
 * `listen`, hence the setter).
 */
export interface PublicUrls {
  /** The base without a trailing slash, e.g. `http://127.0.0.1:3000`. */
  base(): string;
  setBase(base: string): void;
  fileUrl(key: string): string;
  /** The object key when `url` is one of our `/files/...` URLs (any host), else null. */
  keyOf(url: string): string | null;
}

export function createPublicUrls(initialBase = 'http://127.0.0.1'): PublicUrls {
  let current = initialBase.replace(/\/+$/, '');
  return {
    base: () => current,
    setBase(base) {
      current = base.replace(/\/+$/, '');
    },
    fileUrl: (key) => `${current}/files/${key}`,
    keyOf(url) {
      const m = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/files\/([^?#]+)$/.exec(url.trim());
      return m ? decodeURIComponent(m[1]) : null;
    },
  };
}
