// A small, strict reader of a zip file's central directory. fflate inflates the data, but it does not tell symlinks,
// encryption or declared sizes apart before inflating; reading the directory ourselves lets the validator refuse a
// dangerous archive before a single byte is inflated.
import { Inflate } from 'fflate';

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
  isEncrypted: boolean;
  /** 0 = stored, 8 = deflate; anything else is refused. */
  compression: number;
  compressedSize: number;
  /** As declared by the archive: an attacker may lie, so inflating never writes past it and the CRC is checked. */
  uncompressedSize: number;
  crc32: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {}
/** An entry inflates past the limit the caller set (whatever the archive declares). */
export class ZipTooLargeError extends ZipFormatError {}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Lists the entries of a zip archive from its central directory. Throws ZipFormatError on anything malformed. */
export function readZipEntries(zip: Uint8Array, maxEntries = Infinity): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);

  const end = findEndOfCentralDirectory(zip, view);
  if (end >= 20 && u32(end - 20) === ZIP64_LOCATOR) throw new ZipFormatError('ZIP64 archives are not supported');
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0) throw new ZipFormatError('multi-part archives are not supported');
  const count = u16(end + 10);
  if (count > maxEntries) throw new ZipFormatError(`the archive has ${count} entries (at most ${maxEntries} allowed)`);
  let at = u32(end + 16);
  const directoryEnd = at + u32(end + 12);
  if (directoryEnd > end) throw new ZipFormatError('central directory out of bounds');

  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > directoryEnd || u32(at) !== CENTRAL_HEADER) throw new ZipFormatError('corrupt central directory');
    const madeBy = u16(at + 4);
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const externalAttributes = u32(at + 38);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    if (at + 46 + nameLength > directoryEnd) throw new ZipFormatError('corrupt central directory');
    const name = decodeName(nameBytes, (flags & 0x800) !== 0);
    const entry: ZipEntry = {
      name,
      isDirectory: name.endsWith('/'),
      isSymlink: madeBy >> 8 === UNIX_HOST && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK,
      isEncrypted: (flags & 0x1) !== 0,
      compression: u16(at + 10),
      crc32: u32(at + 16),
      compressedSize: u32(at + 20),
      uncompressedSize: u32(at + 24),
      localHeaderOffset: u32(at + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      throw new ZipFormatError(`${name}: ZIP64 entries are not supported`);
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's bytes as stored in the archive (compressed or not). */
function storedData(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== LOCAL_HEADER) throw new ZipFormatError(`${entry.name}: corrupt local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw new ZipFormatError(`${entry.name}: data out of bounds`);
  return zip.subarray(start, end);
}

const INFLATE_STEP = 64 * 1024;

/**
 * Inflates in small steps, handing each output chunk to `onChunk` (which may throw to stop) — the output never has
 * to be produced beyond the point where a caller's limit is passed, whatever the headers declare.
 */
function inflateInSteps(raw: Uint8Array, entry: ZipEntry, onChunk: (chunk: Uint8Array) => void): void {
  if (entry.compression === 0) {
    onChunk(raw);
    return;
  }
  if (entry.compression !== 8) throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.compression}`);
  const inflater = new Inflate((chunk) => onChunk(chunk));
  try {
    if (raw.length === 0) inflater.push(raw, true);
    for (let at = 0; at < raw.length; at += INFLATE_STEP) inflater.push(raw.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= raw.length);
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`${entry.name}: cannot be inflated (${(error as Error).message})`);
  }
}

/**
 * The entry's actual inflated size, throwing ZipTooLargeError as soon as the output passes `limit`: what the headers
 * declare does not matter, and no more than `limit` (+ one step) is ever produced, nothing of it kept.
 */
export function measureInflatedSize(zip: Uint8Array, entry: ZipEntry, limit: number): number {
  let size = 0;
  inflateInSteps(storedData(zip, entry), entry, (chunk) => {
    size += chunk.length;
    if (size > limit) throw new ZipTooLargeError(`${entry.name}: inflates to more than ${limit} bytes`);
  });
  return size;
}

export interface InflateLimits {
  /** At most this many bytes once inflated (the declared size is a limit too). */
  maxBytes?: number;
  /** Inflated/compressed above which an entry is taken for a zip bomb, once it has passed `ratioFloorBytes`. */
  maxRatio?: number;
  ratioFloorBytes?: number;
}

/**
 * Inflates one entry, refusing it the moment its output passes its declared size or `maxBytes`, or its actual
 * compression ratio passes `maxRatio` (ZipTooLargeError) — so a header that understates a size costs no more than
 * that size to find out — then checks the size and the CRC.
 */
export function readZipEntryData(zip: Uint8Array, entry: ZipEntry, limits: InflateLimits = {}): Uint8Array {
  const raw = storedData(zip, entry);
  const limit = Math.min(entry.uncompressedSize, limits.maxBytes ?? Infinity);
  const data = new Uint8Array(limit);
  let size = 0;
  inflateInSteps(raw, entry, (chunk) => {
    if (size + chunk.length > limit) {
      throw size + chunk.length > entry.uncompressedSize
        ? new ZipTooLargeError(`${entry.name}: inflates past the ${entry.uncompressedSize} bytes the archive's directory declares`)
        : new ZipTooLargeError(`${entry.name}: more than ${limit} bytes once extracted`);
    }
    data.set(chunk, size);
    size += chunk.length;
    const ratio = size / Math.max(entry.compressedSize, 1);
    if (limits.maxRatio !== undefined && size > (limits.ratioFloorBytes ?? 0) && ratio > limits.maxRatio) {
      throw new ZipTooLargeError(`${entry.name}: compressed ${Math.round(ratio)}:1 or more, a zip bomb is suspected (at most ${limits.maxRatio}:1)`);
    }
  });
  if (size !== entry.uncompressedSize || crc32(data) !== entry.crc32) {
    throw new ZipFormatError(`${entry.name}: size or checksum does not match the archive's directory`);
  }
  return data;
}

function findEndOfCentralDirectory(zip: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at -= 1) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new ZipFormatError('not a zip archive (no end of central directory)');
}

function decodeName(bytes: Uint8Array, isUtf8: boolean): string {
  if (!isUtf8 && bytes.some((byte) => byte > 0x7f)) throw new ZipFormatError('a file name is neither ASCII nor marked UTF-8');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ZipFormatError('a file name is not valid UTF-8');
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
