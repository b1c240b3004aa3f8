// Path rules for anything that comes from outside (zip entry names, URL paths): relative, forward slashes, no `..`.

/** Why a relative path is unsafe, or null when it is safe. Used for zip entries and for requested file paths. */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'empty path';
  if (path.length > 240) return 'path longer than 240 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control character in path';
  if (path.includes('\\')) return 'backslash in path';
  if (path.startsWith('/')) return 'absolute path';
  if (/^[a-zA-Z]:/.test(path)) return 'drive letter in path';
  const segments = path.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '..')) return 'parent directory (..) in path';
  if (segments.some((segment) => segment === '.' || segment === '')) return 'empty or "." segment in path';
  return null;
}

/** Files that editors and operating systems leave in archives; skipped on import, never served. */
export function isJunkPath(path: string): boolean {
  const segments = path.split('/');
  return segments[0] === '__MACOSX' || segments.some((segment) => segment.startsWith('.') || segment === 'Thumbs.db');
}
