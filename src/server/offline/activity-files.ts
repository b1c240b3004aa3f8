// The files the H5P player fetches to play one activity, so that a course saved for offline use plays its activities
// without a connection: the package's h5p.json and content, and each library it preloads (recursively) — library.json
// and the scripts and styles that library.json lists. Paths are the URLs under /h5p/ (src/pages/h5p/[...path].ts).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { h5pJsonSchema, libraryJsonSchema, type LibraryDependency } from '../h5p/h5pJsonSchemas.ts';
import { isValidPackageId, LIBRARIES_FOLDER } from '../h5p/h5pContentRoot.ts';
import { listFolderFiles } from '../h5p/listFolderFiles.ts';

export interface OfflineFile {
  /** Path under /h5p/, e.g. `bas-clasificar-es/h5p.json` or `libraries/Capacita.Classify-1.0/classify.js`. */
  path: string;
  bytes: number;
}

/** The activity's files, or [] when the package is missing or unreadable (the lesson shows it as missing anyway). */
export function activityFiles(root: string, id: string): OfflineFile[] {
  if (!isValidPackageId(id)) return [];
  const files = new Map<string, number>();
  const add = (path: string) => {
    try {
      files.set(path, statSync(join(root, path)).size);
    } catch {
      // A file a library lists but does not ship: the player reports it online too.
    }
  };
  try {
    const h5p = h5pJsonSchema.parse(JSON.parse(readFileSync(join(root, id, 'h5p.json'), 'utf8')));
    add(`${id}/h5p.json`);
    for (const file of listFolderFiles(join(root, id, 'content'))) add(`${id}/content/${file}`);
    const seen = new Set<string>();
    const visit = (dependencies: readonly LibraryDependency[]) => {
      for (const dep of dependencies) {
        const folder = `${dep.machineName}-${dep.majorVersion}.${dep.minorVersion}`;
        if (seen.has(folder)) continue;
        seen.add(folder);
        const base = `${LIBRARIES_FOLDER}/${folder}`;
        let library;
        try {
          library = libraryJsonSchema.parse(JSON.parse(readFileSync(join(root, base, 'library.json'), 'utf8')));
        } catch {
          continue;
        }
        add(`${base}/library.json`);
        for (const file of [...(library.preloadedJs ?? []), ...(library.preloadedCss ?? [])]) add(`${base}/${file.path}`);
        visit(library.preloadedDependencies ?? []);
      }
    };
    visit(h5p.preloadedDependencies);
  } catch {
    return [];
  }
  return [...files].map(([path, bytes]) => ({ path, bytes }));
}
