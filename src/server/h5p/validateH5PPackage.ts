// Checks an uploaded .h5p file before anything is written: a zip made by an H5P editor (Lumi, h5p.org, Moodle) holding
// h5p.json, content/ and the libraries it needs. Every problem found is reported, each naming the file at fault.
import { z } from 'astro/zod';
import {
  describeIssues,
  h5pJsonSchema,
  libraryFolderName,
  libraryJsonSchema,
  PLAYER_CORE_API_MAJOR,
  type H5PJson,
  type LibraryDependency,
  type LibraryJson,
} from './h5pJsonSchemas.ts';
import { isAllowedFile, type PackageArea } from './h5pFileTypes.ts';
import { OWN_CONTENT_SCHEMAS } from './ownContentTypes.ts';
import { readZipEntries, readZipEntryData, ZipFormatError, type ZipEntry } from './readZipEntries.ts';
import { isJunkPath, unsafePathReason } from './safePath.ts';

export interface PackageLimits {
  /** Size of the .h5p file itself. */
  maxZipBytes: number;
  maxEntries: number;
  /** Declared size of one file once extracted. */
  maxFileBytes: number;
  /** Declared size of all files once extracted. */
  maxTotalBytes: number;
  /**
   * Extracted/compressed size above which a file larger than 1 MiB is taken for a zip bomb: checked on the declared
   * sizes first, then on what each entry actually inflates to, while it inflates.
   */
  maxCompressionRatio: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxZipBytes: 64 * 1024 * 1024,
  maxEntries: 3000,
  maxFileBytes: 48 * 1024 * 1024,
  maxTotalBytes: 160 * 1024 * 1024,
  maxCompressionRatio: 100,
};

/** A library already installed in content/h5p/libraries, by folder name. */
export interface InstalledLibrary {
  folder: string;
  json: LibraryJson;
}

export interface PackageLibrary {
  folder: string;
  json: LibraryJson;
  /** Path inside the library folder → bytes. */
  files: Map<string, Uint8Array>;
}

export interface ValidPackage {
  h5p: H5PJson;
  /** Raw h5p.json, written back unchanged. */
  h5pJsonBytes: Uint8Array;
  /** Path inside content/ → bytes (content.json and media). */
  contentFiles: Map<string, Uint8Array>;
  libraries: Map<string, PackageLibrary>;
}

export type PackageValidation =
  | { ok: true; package: ValidPackage; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

export interface ValidateOptions {
  installed?: ReadonlyMap<string, InstalledLibrary>;
  limits?: Partial<PackageLimits>;
}

const MIB = 1024 * 1024;

export function validateH5PPackage(zip: Uint8Array, { installed = new Map(), limits = {} }: ValidateOptions = {}): PackageValidation {
  const limit = { ...DEFAULT_PACKAGE_LIMITS, ...limits };
  const errors: string[] = [];
  const warnings: string[] = [];
  const fail = () => ({ ok: false as const, errors, warnings });

  if (zip.length > limit.maxZipBytes) {
    errors.push(`the file is ${formatBytes(zip.length)}; at most ${formatBytes(limit.maxZipBytes)} is allowed`);
    return fail();
  }
  let entries: ZipEntry[];
  try {
    entries = readZipEntries(zip, limit.maxEntries);
  } catch (error) {
    if (error instanceof ZipFormatError) errors.push(error.message);
    else throw error;
    return fail();
  }

  const accepted = screenEntries(entries, limit, errors, warnings);
  if (errors.length) return fail();

  const files = new Map<string, Uint8Array>();
  for (const entry of accepted) {
    try {
      files.set(entry.name, readZipEntryData(zip, entry, { maxBytes: limit.maxFileBytes, maxRatio: limit.maxCompressionRatio, ratioFloorBytes: MIB }));
    } catch (error) {
      if (error instanceof ZipFormatError) errors.push(error.message);
      else throw error;
    }
  }
  if (errors.length) return fail();

  const h5pJsonBytes = files.get('h5p.json');
  const h5p = h5pJsonBytes ? parseJson('h5p.json', h5pJsonBytes, h5pJsonSchema, errors) : null;
  if (!h5pJsonBytes) errors.push('h5p.json is missing at the top of the archive (is this an .h5p file?)');

  const contentFiles = new Map<string, Uint8Array>();
  const libraryFiles = new Map<string, Map<string, Uint8Array>>();
  for (const [path, data] of files) {
    if (path === 'h5p.json') continue;
    const [top, ...rest] = path.split('/');
    if (top === 'content') contentFiles.set(rest.join('/'), data);
    else {
      if (!libraryFiles.has(top!)) libraryFiles.set(top!, new Map());
      libraryFiles.get(top!)!.set(rest.join('/'), data);
    }
  }
  const contentJsonBytes = contentFiles.get('content.json');
  const contentJson = contentJsonBytes ? parseJson('content/content.json', contentJsonBytes, z.record(z.string(), z.unknown()), errors) : null;
  if (!contentJsonBytes) errors.push('content/content.json is missing');

  const libraries = readPackageLibraries(libraryFiles, errors);

  if (h5p) {
    if (!h5p.preloadedDependencies.some((dependency) => dependency.machineName === h5p.mainLibrary)) {
      errors.push(`h5p.json: the main library ${h5p.mainLibrary} is not among preloadedDependencies`);
    }
    // `embedTypes` says how an editor offers to embed the content elsewhere (many exports list only "iframe"); the
    // platform always plays it in a div of its own page, which every content type supports. Nothing to warn about.
    checkDependencies(h5p, libraries, installed, errors, warnings);
    const ownSchema = OWN_CONTENT_SCHEMAS[h5p.mainLibrary];
    if (ownSchema && contentJson) {
      const parsed = ownSchema.safeParse(contentJson);
      if (!parsed.success) errors.push(...describeIssues(parsed.error).map((line) => `content/content.json: ${line}`));
    }
  }

  if (errors.length || !h5p) return fail();
  return { ok: true, package: { h5p, h5pJsonBytes: h5pJsonBytes!, contentFiles, libraries }, warnings };
}

/** Refuses unsafe or oversized entries before inflating anything; returns the entries worth extracting. */
function screenEntries(entries: ZipEntry[], limit: PackageLimits, errors: string[], warnings: string[]): ZipEntry[] {
  const accepted: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const name = entry.name;
    const unsafe = unsafePathReason(name);
    if (unsafe) {
      errors.push(`${JSON.stringify(name)}: ${unsafe}`);
      continue;
    }
    if (entry.isSymlink) {
      errors.push(`${name}: symbolic links are not allowed`);
      continue;
    }
    if (entry.isEncrypted) {
      errors.push(`${name}: encrypted entries are not allowed`);
      continue;
    }
    if (isJunkPath(name)) {
      if (!entry.isDirectory && !isTranslationTemplate(name)) warnings.push(`${name}: skipped (system or hidden file)`);
      continue;
    }
    const key = name.toLowerCase().replace(/\/$/, '');
    if (seen.has(key)) {
      errors.push(`${name}: appears more than once in the archive`);
      continue;
    }
    seen.add(key);
    if (entry.isDirectory) continue;
    if (!isAllowedFile(name, areaOf(name))) {
      errors.push(`${name}: file type not allowed here`);
      continue;
    }
    if (entry.uncompressedSize > limit.maxFileBytes) {
      errors.push(`${name}: ${formatBytes(entry.uncompressedSize)} once extracted; at most ${formatBytes(limit.maxFileBytes)} per file`);
      continue;
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > MIB && ratio > limit.maxCompressionRatio) {
      errors.push(`${name}: compressed ${Math.round(ratio)}:1, a zip bomb is suspected (at most ${limit.maxCompressionRatio}:1)`);
      continue;
    }
    total += entry.uncompressedSize;
    accepted.push(entry);
  }
  if (total > limit.maxTotalBytes) {
    errors.push(`the files add up to ${formatBytes(total)} once extracted; at most ${formatBytes(limit.maxTotalBytes)} is allowed`);
  }
  return accepted;
}

/**
 * `<Library>/language/.en.json`: the template official libraries ship for translators (its strings are the library's
 * defaults). It is not a translation the player loads, so it is left out without a word.
 */
function isTranslationTemplate(path: string): boolean {
  return /^[^/]+\/language\/\.en\.json$/.test(path);
}

function areaOf(path: string): PackageArea {
  if (!path.includes('/')) return 'root';
  return path.startsWith('content/') ? 'content' : 'library';
}

function readPackageLibraries(libraryFiles: Map<string, Map<string, Uint8Array>>, errors: string[]): Map<string, PackageLibrary> {
  const libraries = new Map<string, PackageLibrary>();
  for (const [folder, files] of libraryFiles) {
    const bytes = files.get('library.json');
    if (!bytes) {
      errors.push(`${folder}/: not a library folder (no library.json)`);
      continue;
    }
    const json = parseJson(`${folder}/library.json`, bytes, libraryJsonSchema, errors);
    if (!json) continue;
    const expected = libraryFolderName(json);
    if (folder !== expected) {
      errors.push(`${folder}/library.json: describes ${json.machineName} ${json.majorVersion}.${json.minorVersion}, so the folder must be named ${expected}`);
      continue;
    }
    for (const { path } of [...(json.preloadedJs ?? []), ...(json.preloadedCss ?? [])]) {
      if (!files.has(path)) errors.push(`${folder}/library.json: lists ${path}, which is not in the package`);
    }
    if (json.coreApi && json.coreApi.majorVersion > PLAYER_CORE_API_MAJOR) {
      errors.push(`${folder}: needs H5P core API ${json.coreApi.majorVersion}.${json.coreApi.minorVersion}; the player implements ${PLAYER_CORE_API_MAJOR}.x`);
    }
    libraries.set(folder, { folder, json, files });
  }
  return libraries;
}

/** Every preloaded dependency, followed from h5p.json through each library, must be in the package or installed. */
function checkDependencies(
  h5p: H5PJson,
  libraries: Map<string, PackageLibrary>,
  installed: ReadonlyMap<string, InstalledLibrary>,
  errors: string[],
  warnings: string[],
): void {
  const visited = new Set<string>();
  const queue: Array<{ dependency: LibraryDependency; neededBy: string }> = h5p.preloadedDependencies.map((dependency) => ({ dependency, neededBy: 'h5p.json' }));
  while (queue.length) {
    const { dependency, neededBy } = queue.shift()!;
    const folder = libraryFolderName(dependency);
    if (visited.has(folder)) continue;
    visited.add(folder);
    const own = libraries.get(folder);
    const existing = installed.get(folder);
    const json = own?.json ?? existing?.json;
    if (!json) {
      const others = [...libraries.keys(), ...installed.keys()].filter((name) => name.startsWith(`${dependency.machineName}-`));
      const hint = others.length ? ` (available: ${others.join(', ')}; the versions are not compatible)` : '';
      errors.push(`missing library ${folder}, needed by ${neededBy}: export the .h5p again with its libraries included${hint}`);
      continue;
    }
    if (own && existing && own.json.patchVersion < existing.json.patchVersion) {
      warnings.push(`${folder}: the package brings patch ${version(own.json)}, the installed ${version(existing.json)} is newer and is kept`);
    }
    for (const next of json.preloadedDependencies ?? []) queue.push({ dependency: next, neededBy: `${folder}/library.json` });
  }
  for (const folder of libraries.keys()) {
    if (!visited.has(folder)) warnings.push(`${folder}: in the package but not needed by it (installed anyway)`);
  }
}

function parseJson<T>(path: string, bytes: Uint8Array, schema: z.ZodType<T>, errors: string[]): T | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    errors.push(`${path}: invalid JSON (${(error as Error).message})`);
    return null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    errors.push(...describeIssues(parsed.error).map((line) => `${path}: ${line}`));
    return null;
  }
  return parsed.data;
}

export function version(json: Pick<LibraryJson, 'majorVersion' | 'minorVersion' | 'patchVersion'>): string {
  return `${json.majorVersion}.${json.minorVersion}.${json.patchVersion}`;
}

function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
