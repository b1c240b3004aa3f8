// Packs an installed package back into an .h5p file (h5p.json, content/ and every library it preloads), the layout
// H5P editors import. Used by the tests to round-trip packages and by authors to open a package in an editor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { LIBRARIES_FOLDER, readInstalledLibraries } from './h5pContentRoot.ts';
import { h5pJsonSchema, libraryFolderName } from './h5pJsonSchemas.ts';
import { listFolderFiles } from './listFolderFiles.ts';

export function buildH5PPackage(root: string, id: string): Uint8Array {
  const packageDir = join(root, id);
  const h5pJson = readFileSync(join(packageDir, 'h5p.json'));
  const h5p = h5pJsonSchema.parse(JSON.parse(h5pJson.toString('utf8')));
  const installed = readInstalledLibraries(root);

  const files: Zippable = { 'h5p.json': h5pJson };
  for (const path of listFolderFiles(join(packageDir, 'content'))) files[`content/${path}`] = readFileSync(join(packageDir, 'content', path));

  const queue = h5p.preloadedDependencies.map(libraryFolderName);
  const added = new Set<string>();
  while (queue.length) {
    const folder = queue.shift()!;
    if (added.has(folder)) continue;
    const library = installed.get(folder);
    if (!library) throw new Error(`${id}: library ${folder} is not installed in ${join(root, LIBRARIES_FOLDER)}`);
    added.add(folder);
    const libraryDir = join(root, LIBRARIES_FOLDER, folder);
    for (const path of listFolderFiles(libraryDir)) files[`${folder}/${path}`] = readFileSync(join(libraryDir, path));
    queue.push(...(library.json.preloadedDependencies ?? []).map(libraryFolderName));
  }
  return zipSync(files, { level: 6 });
}
