/**
 * Image format detection from magic bytes only: the contract says the bytes decide, never the file
 * name or a declared MIME type. Recognises more formats than Fitroom accepts so that a rejection can
 * say what was actually sent ("GIF is not accepted") instead of "unrecognised".
 */

export type AcceptedFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export type SniffResult =
  | { kind: 'accepted'; format: AcceptedFormat }
  /** A recognised image format that Fitroom does not accept; `name` is for the error message. */
  | { kind: 'unsupported'; name: string }
  | { kind: 'unknown' };

export const ACCEPTED_FORMATS_TEXT = 'JPEG, PNG, WebP or AVIF';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

/**
 * ISO-BMFF (`ftyp` box) brands: AVIF is accepted; HEIC (HEVC-coded HEIF) is not, because sharp's
 * prebuilt libheif cannot decode HEVC; other brands (mp4, mov, jxl container...) are not images we take.
 */
function sniffIsoBmff(bytes: Buffer): SniffResult {
  const boxSize = bytes.readUInt32BE(0);
  // Brands: major at 8..12, minor version 12..16, compatible brands from 16 to the end of the box.
  const end = Math.min(bytes.length, boxSize >= 16 ? boxSize : 16, 4096);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  if (brands.includes('avif') || brands.includes('avis')) return { kind: 'accepted', format: 'avif' };
  const heic = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];
  if (brands.some((brand) => heic.includes(brand))) return { kind: 'unsupported', name: 'HEIC/HEIF' };
  if (brands.includes('jxl ')) return { kind: 'unsupported', name: 'JPEG XL' };
  const video = ['isom', 'iso2', 'mp41', 'mp42', 'qt  ', 'M4V ', '3gp4', '3gp5', 'avc1', 'dash'];
  if (brands.some((brand) => video.includes(brand))) return { kind: 'unsupported', name: 'a video (MP4/QuickTime)' };
  return { kind: 'unsupported', name: `an ISO-BMFF file with brand '${brands[0].replace(/[^\x20-\x7e]/g, '?')}'` };
}

export function sniffImageFormat(bytes: Buffer): SniffResult {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { kind: 'accepted', format: 'jpeg' };
  }
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { kind: 'accepted', format: 'png' };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { kind: 'accepted', format: 'webp' };
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') return sniffIsoBmff(bytes);

  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return { kind: 'unsupported', name: 'GIF' };
  }
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) {
    return { kind: 'unsupported', name: 'TIFF' };
  }
  if (bytes.length >= 2 && ascii(bytes, 0, 2) === 'BM') return { kind: 'unsupported', name: 'BMP' };
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x00000100) return { kind: 'unsupported', name: 'ICO' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0x0a) return { kind: 'unsupported', name: 'JPEG XL' };
  if (bytes.length >= 12 && bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))) {
    return { kind: 'unsupported', name: 'JPEG XL' };
  }
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === '8BPS') return { kind: 'unsupported', name: 'PSD' };
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return { kind: 'unsupported', name: 'PDF' };
  // SVG/XML: text, possibly after a BOM and whitespace.
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
    return { kind: 'unsupported', name: 'SVG' };
  }
  return { kind: 'unknown' };
}
