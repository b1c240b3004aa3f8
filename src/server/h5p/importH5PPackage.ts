// Installs a validated .h5p file as content/h5p/<id>/ (h5p.json + content/) and its libraries, de-duplicated, in the
// shared content/h5p/libraries/. Nothing is written unless the whole package is valid.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listFolderFiles } from './listFolderFiles.ts';
import { isValidPackageId, LIBRARIES_FOLDER, readInstalledLibraries } from './h5pContentRoot.ts';
import { validateH5PPackage, version, type PackageLibrary, type PackageLimits } from './validateH5PPackage.ts';

export interface ImportOptions {
  /** content/h5p folder to install into. */
  root: string;
  id: string;
  /** Replace a package with the same id (its learners' results stay; they are keyed by the id). */
  replace?: boolean;
  limits?: Partial<PackageLimits>;
}

export interface ImportReport {
  id: string;
  title: string;
  mainLibrary: string;
  librariesAdded: string[];
  librariesUpgraded: string[];
  librariesAlreadyInstalled: string[];
  warnings: string[];
}

export type ImportResult = { ok: true; report: ImportReport } | { ok: false; errors: string[]; warnings: string[] };

export function importH5PPackage(zip: Uint8Array, { root, id, replace = false, limits }: ImportOptions): ImportResult {
  if (!isValidPackageId(id)) {
    return { ok: false, errors: [`"${id}" is not a valid package id: use lower-case letters, digits and dashes (like bas-clasificar-es)`], warnings: [] };
  }
  const target = join(root, id);
  if (existsSync(target) && !replace) {
    return { ok: false, errors: [`a package with id "${id}" already exists in ${target}; pass --replace to replace it`], warnings: [] };
  }
  const installed = readInstalledLibraries(root);
  const validation = validateH5PPackage(zip, { installed, limits });
  if (!validation.ok) return validation;
  const pkg = validation.package;
  const warnings = [...validation.warnings];
  const report: ImportReport = {
    id,
    title: pkg.h5p.title,
    mainLibrary: pkg.h5p.mainLibrary,
    librariesAdded: [],
    librariesUpgraded: [],
    librariesAlreadyInstalled: [],
    warnings,
  };

  const librariesDir = join(root, LIBRARIES_FOLDER);
  for (const library of pkg.libraries.values()) {
    const existing = installed.get(library.folder);
    const destination = join(librariesDir, library.folder);
    if (!existing) {
      replaceFolder(destination, (dir) => writeFiles(dir, library.files));
      report.librariesAdded.push(`${library.folder} (${version(library.json)})`);
    } else if (library.json.patchVersion > existing.json.patchVersion) {
      replaceFolder(destination, (dir) => writeFiles(dir, library.files));
      report.librariesUpgraded.push(`${library.folder} (${version(existing.json)} → ${version(library.json)})`);
    } else {
      report.librariesAlreadyInstalled.push(`${library.folder} (${version(existing.json)})`);
      if (library.json.patchVersion === existing.json.patchVersion && !sameFiles(destination, library)) {
        warnings.push(`${library.folder}: same version as installed but different files; the installed copy is kept`);
      }
    }
  }

  replaceFolder(target, (dir) => {
    writeFileSync(join(dir, 'h5p.json'), pkg.h5pJsonBytes);
    writeFiles(join(dir, 'content'), pkg.contentFiles);
  });
  return { ok: true, report };
}

function writeFiles(dir: string, files: Map<string, Uint8Array>): void {
  for (const [path, data] of files) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

/** Builds the new folder beside the old one, then swaps them, so a failure never leaves half a folder in place. */
function replaceFolder(destination: string, fill: (dir: string) => void): void {
  const suffix = randomBytes(4).toString('hex');
  // Dot folders: never taken for a package or a library if the process dies half-way.
  const fresh = join(dirname(destination), `.importing-${basename(destination)}-${suffix}`);
  const old = join(dirname(destination), `.replaced-${basename(destination)}-${suffix}`);
  mkdirSync(fresh, { recursive: true });
  try {
    fill(fresh);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  const hadOld = existsSync(destination);
  if (hadOld) renameSync(destination, old);
  renameSync(fresh, destination);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

function sameFiles(dir: string, library: PackageLibrary): boolean {
  const installedFiles = listFolderFiles(dir);
  if (installedFiles.length !== library.files.size) return false;
  return installedFiles.every((path) => {
    const incoming = library.files.get(path);
    return incoming !== undefined && Buffer.compare(readFileSync(join(dir, path)), incoming) === 0;
  });
}
