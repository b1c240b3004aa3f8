// Which file under content/h5p a URL path may reach: a package's h5p.json and content/, and the shared libraries —
// only allowed file types, never outside the folder (symbolic links included), never hidden files.
import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { contentTypeFor, isAllowedFile } from './h5pFileTypes.ts';
import { isValidPackageId, LIBRARIES_FOLDER } from './h5pContentRoot.ts';
import { isJunkPath, unsafePathReason } from './safePath.ts';

export interface PackageFile {
  absolutePath: string;
  contentType: string;
  size: number;
  modifiedAt: number;
  /** Library code and assets (shared, versioned folders) rather than one package's own files. */
  isLibraryFile: boolean;
}

export function resolvePackageFile(root: string, path: string): PackageFile | null {
  if (unsafePathReason(path) || isJunkPath(path)) return null;
  const contentType = contentTypeFor(path);
  if (!contentType) return null;
  const [top = '', second = '', ...rest] = path.split('/');
  const isLibraryFile = top === LIBRARIES_FOLDER;
  if (isLibraryFile) {
    if (!second || rest.length === 0) return null;
  } else {
    if (!isValidPackageId(top)) return null;
    const isH5PJson = second === 'h5p.json' && rest.length === 0;
    const isContent = second === 'content' && rest.length > 0 && isAllowedFile(path, 'content');
    if (!isH5PJson && !isContent) return null;
  }
  try {
    const realRoot = realpathSync(root);
    const absolutePath = realpathSync(resolve(root, path));
    if (!absolutePath.startsWith(realRoot + sep)) return null;
    const stats = statSync(absolutePath);
    if (!stats.isFile()) return null;
    return { absolutePath, contentType, size: stats.size, modifiedAt: stats.mtimeMs, isLibraryFile };
  } catch {
    return null;
  }
}
