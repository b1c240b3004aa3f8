// Which files an H5P package may contain and how the platform serves them. One list for the importer (what may come
// in) and the file endpoint (what may go out), so the two never disagree.

/** Extension → Content-Type of every file type allowed in packages and libraries. */
export const H5P_FILE_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  pdf: 'application/pdf',
};

/** Code runs in the learner's page: it may only come inside a library folder, never in a package's content/. */
const CODE_EXTENSIONS = new Set(['js', 'css']);

/** The lower-cased extension of a path ('' when it has none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The Content-Type to serve a file with, or null when the file type is not allowed. */
export function contentTypeFor(path: string): string | null {
  return H5P_FILE_TYPES[extensionOf(path)] ?? null;
}

export type PackageArea = 'root' | 'content' | 'library';

/** Whether a file of this path may sit in that part of a package (root: only h5p.json). */
export function isAllowedFile(path: string, area: PackageArea): boolean {
  if (area === 'root') return path === 'h5p.json';
  const extension = extensionOf(path);
  if (!(extension in H5P_FILE_TYPES)) return false;
  return area === 'library' || !CODE_EXTENSIONS.has(extension);
}
