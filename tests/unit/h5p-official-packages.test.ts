// Packages as h5p.org, Lumi and Moodle export them for the official content types: libraries with dotless machine
// names (FontAwesome), h5p.json with embedTypes ["iframe"] only, the translators' template language/.en.json. Built
// here from small libraries of our own with the official naming; and hostile packages still refused, content/h5p
// left as it was.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { readInstalledLibraries } from '../../src/server/h5p/h5pContentRoot.ts';
import { libraryJsonSchema } from '../../src/server/h5p/h5pJsonSchemas.ts';
import { importH5PPackage } from '../../src/server/h5p/importH5PPackage.ts';
import { listFolderFiles } from '../../src/server/h5p/listFolderFiles.ts';
import { readPackageSummary } from '../../src/server/h5p/readPackageSummary.ts';
import { validateH5PPackage } from '../../src/server/h5p/validateH5PPackage.ts';

const json = (value: unknown) => strToU8(JSON.stringify(value));
const library = (machineName: string, major: number, minor: number, extra: object = {}) => ({
  title: machineName,
  machineName,
  majorVersion: major,
  minorVersion: minor,
  patchVersion: 2,
  runnable: 0,
  license: 'MIT',
  ...extra,
});

/** A true/false question the way the official exports lay it out, from three libraries of our own. */
function officialStylePackage(overrides: Zippable = {}): Zippable {
  return {
    'h5p.json': json({
      title: 'Verdadero o falso',
      language: 'es',
      mainLibrary: 'H5P.TrueFalse',
      embedTypes: ['iframe'],
      license: 'U',
      preloadedDependencies: [
        { machineName: 'H5P.TrueFalse', majorVersion: '1', minorVersion: '8' },
        { machineName: 'FontAwesome', majorVersion: '4', minorVersion: '5' },
      ],
    }),
    'content/content.json': json({ question: '<p>La trata requiere cruzar una frontera.</p>', correct: 'false' }),
    'FontAwesome-4.5/library.json': json(library('FontAwesome', 4, 5, { preloadedCss: [{ path: 'h5p-font-awesome.min.css' }] })),
    'FontAwesome-4.5/h5p-font-awesome.min.css': strToU8('.fa{font-family:FontAwesome}'),
    'FontAwesome-4.5/fonts/fontawesome-webfont.woff': new Uint8Array([0x77, 0x4f, 0x46, 0x46]),
    'H5P.Question-1.5/library.json': json(library('H5P.Question', 1, 5, { preloadedJs: [{ path: 'scripts/question.js' }], preloadedDependencies: [{ machineName: 'FontAwesome', majorVersion: 4, minorVersion: 5 }] })),
    'H5P.Question-1.5/scripts/question.js': strToU8('H5P.Question = function () {};'),
    'H5P.Question-1.5/language/.en.json': json({ semantics: [{ label: 'Feedback' }] }),
    'H5P.Question-1.5/language/es.json': json({ semantics: [{ label: 'Comentarios' }] }),
    'H5P.TrueFalse-1.8/library.json': json(
      library('H5P.TrueFalse', 1, 8, { runnable: 1, embedTypes: ['iframe'], preloadedJs: [{ path: 'true-false.js' }], preloadedDependencies: [{ machineName: 'H5P.Question', majorVersion: 1, minorVersion: 5 }] }),
    ),
    'H5P.TrueFalse-1.8/true-false.js': strToU8('H5P.TrueFalse = function () {};'),
    'H5P.TrueFalse-1.8/language/.en.json': json({ semantics: [] }),
    'H5P.TrueFalse-1.8/semantics.json': json([]),
    ...overrides,
  };
}

const zip = (files: Zippable) => zipSync(files, { level: 6 });

/** Every file under a folder with its size and modification time: "unchanged" means all of these are equal. */
function snapshot(root: string): string[] {
  return listFolderFiles(root).map((path) => {
    const stats = statSync(join(root, path));
    return `${path} ${stats.size} ${stats.mtimeMs}`;
  });
}

describe('machine names follow the H5P specification', () => {
  const valid = (name: string) => libraryJsonSchema.safeParse(library(name, 1, 0)).success;
  it('accepts dotless and dotted names, refuses what is not a name', () => {
    for (const name of ['FontAwesome', 'Tether', 'H5P.MultiChoice', 'H5P.JoubelUI', 'H5PEditor.ColorSelector', 'H5P.DragNBar', 'jQuery.ui', 'flowplayer', 'H5P.Image_Hotspots']) expect(valid(name), name).toBe(true);
    for (const name of ['', '1Library', '.hidden', '-dash', 'a/b', 'a b', 'H5P.Multi$Choice', 'x'.repeat(256)]) expect(valid(name), name).toBe(false);
  });
});

describe('official exports', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'capacita-h5p-official-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('validate without errors or warnings: dotless library, iframe-only embed types, the translators\u2019 template', () => {
    const result = validateH5PPackage(zip(officialStylePackage()));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok && [...result.package.libraries.keys()].sort()).toEqual(['FontAwesome-4.5', 'H5P.Question-1.5', 'H5P.TrueFalse-1.8']);
  });

  it('import, and the installed libraries (FontAwesome-4.5 included) and the package are seen by the content root', () => {
    const imported = importH5PPackage(zip(officialStylePackage()), { root, id: 'verdadero-falso-es' });
    expect(imported.ok ? imported.report.warnings : imported.errors).toEqual([]);
    expect([...readInstalledLibraries(root).keys()].sort()).toEqual(['FontAwesome-4.5', 'H5P.Question-1.5', 'H5P.TrueFalse-1.8']);
    expect(readPackageSummary(root, 'verdadero-falso-es')).toEqual({ id: 'verdadero-falso-es', title: 'Verdadero o falso', language: 'es', mainLibrary: 'H5P.TrueFalse' });
    expect(readdirSync(join(root, 'libraries/H5P.Question-1.5/language'))).toEqual(['es.json']);
    expect(readFileSync(join(root, 'libraries/FontAwesome-4.5/h5p-font-awesome.min.css'), 'utf8')).toContain('FontAwesome');

    // A second package that only needs the installed FontAwesome finds it.
    const second = officialStylePackage();
    for (const path of Object.keys(second)) if (path.startsWith('FontAwesome-4.5/')) delete second[path];
    const again = importH5PPackage(zip(second), { root, id: 'verdadero-falso-2-es' });
    expect(again.ok ? again.report.warnings : again.errors).toEqual([]);
  });

  it('hostile packages are still refused and leave the folder unchanged', () => {
    expect(importH5PPackage(zip(officialStylePackage()), { root, id: 'verdadero-falso-es' }).ok).toBe(true);
    const before = snapshot(root);
    const link: Zippable[string] = [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }];
    const hostile: Record<string, { files: Zippable; error: RegExp }> = {
      traversal: { files: officialStylePackage({ 'FontAwesome-4.5/../../../escape.css': strToU8('x') }), error: /parent directory/ },
      executable: { files: officialStylePackage({ 'H5P.TrueFalse-1.8/install.exe': new Uint8Array([0x4d, 0x5a]), 'content/run.sh': strToU8('rm -rf /') }), error: /install\.exe: file type not allowed/ },
      symlink: { files: officialStylePackage({ 'FontAwesome-4.5/fonts/link.woff': link }), error: /symbolic links are not allowed/ },
    };
    for (const [name, { files, error }] of Object.entries(hostile)) {
      const result = importH5PPackage(zip(files), { root, id: `hostil-${name}`, replace: true });
      expect(result.ok, name).toBe(false);
      expect(result.ok ? [] : result.errors, name).toEqual(expect.arrayContaining([expect.stringMatching(error)]));
      expect(snapshot(root), name).toEqual(before);
    }
    // A font that inflates to 8 MiB while its headers say 2 KiB: refused as soon as it passes what was declared,
    // never inflated in full.
    const bomb = zip(officialStylePackage({ 'FontAwesome-4.5/fonts/fontawesome-webfont.ttf': new Uint8Array(8 * 1024 * 1024) }));
    understateSize(bomb, 'FontAwesome-4.5/fonts/fontawesome-webfont.ttf', 2048);
    const refused = importH5PPackage(bomb, { root, id: 'hostil-bomba', replace: true });
    expect(refused.ok ? [] : refused.errors).toEqual(['FontAwesome-4.5/fonts/fontawesome-webfont.ttf: inflates past the 2048 bytes the archive\u2019s directory declares'.replace('\u2019', "'")]);
    expect(snapshot(root)).toEqual(before);
  });
});

/** Rewrites an entry's uncompressed size in the local header and the central directory, as an attacker would. */
function understateSize(archive: Uint8Array, name: string, size: number): void {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const encoded = new TextEncoder().encode(name);
  for (let at = 0; at + 46 < archive.length; at += 1) {
    const signature = view.getUint32(at, true);
    const isLocal = signature === 0x04034b50;
    if (!isLocal && signature !== 0x02014b50) continue;
    const nameAt = at + (isLocal ? 30 : 46);
    const length = view.getUint16(at + (isLocal ? 26 : 28), true);
    if (length !== encoded.length || !archive.subarray(nameAt, nameAt + length).every((byte, i) => byte === encoded[i])) continue;
    view.setUint32(at + (isLocal ? 22 : 24), size, true);
  }
}
