// Where packages live: content/h5p/<package-id>/ and the shared content/h5p/libraries/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { libraryJsonSchema } from './h5pJsonSchemas.ts';
import type { InstalledLibrary } from './validateH5PPackage.ts';

export const LIBRARIES_FOLDER = 'libraries';

/** content/h5p of the project the process runs in; H5P_CONTENT_DIR overrides it (tests, deployments). */
export function defaultH5PRoot(): string {
  return resolve(process.env.H5P_CONTENT_DIR || join(process.cwd(), 'content', 'h5p'));
}

/** Lower-case words joined by dashes: `bas-clasificar-es`. The id is the folder name and the <H5P id> of lessons. */
export const PACKAGE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isValidPackageId(id: string): boolean {
  return id.length <= 64 && PACKAGE_ID_PATTERN.test(id) && id !== LIBRARIES_FOLDER;
}

/** Every library installed under <root>/libraries, by folder name; folders without a readable library.json are skipped. */
export function readInstalledLibraries(root: string): Map<string, InstalledLibrary> {
  const installed = new Map<string, InstalledLibrary>();
  const dir = join(root, LIBRARIES_FOLDER);
  if (!existsSync(dir)) return installed;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      const json = libraryJsonSchema.parse(JSON.parse(readFileSync(join(dir, entry.name, 'library.json'), 'utf8')));
      installed.set(entry.name, { folder: entry.name, json });
    } catch {
      // A broken folder is reported by the package checks, not here.
    }
  }
  return installed;
}

/** Ids of the packages under <root>, in name order. */
export function listPackageIds(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isValidPackageId(entry.name) && existsSync(join(root, entry.name, 'h5p.json')))
    .map((entry) => entry.name)
    .sort();
}
