// Package validation on crafted archives: every malicious or broken .h5p must be refused with a message naming the
// problem, before anything is extracted.
import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { join } from 'node:path';
import { buildH5PPackage } from '../../src/server/h5p/buildH5PPackage.ts';
import { readInstalledLibraries } from '../../src/server/h5p/h5pContentRoot.ts';
import { validateH5PPackage, type PackageValidation } from '../../src/server/h5p/validateH5PPackage.ts';

const ROOT = join(import.meta.dirname, '../../content/h5p');

const libraryJson = (machineName: string, extra: object = {}) =>
  JSON.stringify({ title: machineName, machineName, majorVersion: 1, minorVersion: 0, patchVersion: 0, runnable: 1, preloadedJs: [{ path: 'main.js' }], ...extra });

/** A small valid package of a fictional content type, plus whatever `overrides` adds or replaces. */
function packageFiles(overrides: Zippable = {}): Zippable {
  return {
    'h5p.json': strToU8(JSON.stringify({ title: 'Test', language: 'es', mainLibrary: 'Test.Type', embedTypes: ['div'], preloadedDependencies: [{ machineName: 'Test.Type', majorVersion: 1, minorVersion: 0 }] })),
    'content/content.json': strToU8('{"text":"hola"}'),
    'Test.Type-1.0/library.json': strToU8(libraryJson('Test.Type')),
    'Test.Type-1.0/main.js': strToU8('window.Test = { Type: function () {} };'),
    ...overrides,
  };
}

const zip = (files: Zippable) => zipSync(files, { level: 6 });

function errorsOf(result: PackageValidation): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('validateH5PPackage', () => {
  it('accepts a well-formed package and returns its parts', () => {
    const result = validateH5PPackage(zip(packageFiles({ 'content/images/photo.png': new Uint8Array([137, 80, 78, 71]) })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.package.h5p.mainLibrary).toBe('Test.Type');
    expect([...result.package.contentFiles.keys()].sort()).toEqual(['content.json', 'images/photo.png']);
    expect([...result.package.libraries.keys()]).toEqual(['Test.Type-1.0']);
  });

  it('accepts packages built from our own content types', () => {
    for (const id of ['demo-scenario-es', 'demo-classify-es', 'demo-termmatch-en']) {
      const result = validateH5PPackage(buildH5PPackage(ROOT, id));
      expect(result.ok ? [] : result.errors, id).toEqual([]);
    }
  });

  it('refuses zip-slip paths: parent directories, absolute paths, backslashes, drive letters', () => {
    const errors = errorsOf(
      validateH5PPackage(
        zip(packageFiles({ '../../evil.json': strToU8('{}'), '/etc/cron.json': strToU8('{}'), 'content\\..\\..\\x.json': strToU8('{}'), 'C:/x.json': strToU8('{}'), 'content/a/../../b.json': strToU8('{}') })),
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"../../evil.json": parent directory'),
        expect.stringContaining('"/etc/cron.json": absolute path'),
        expect.stringContaining('backslash'),
        expect.stringContaining('drive letter'),
        expect.stringContaining('"content/a/../../b.json": parent directory'),
      ]),
    );
  });

  it('refuses symbolic links', () => {
    const link: Zippable[string] = [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }];
    const errors = errorsOf(validateH5PPackage(zip(packageFiles({ 'content/link.json': link }))));
    expect(errors).toContain('content/link.json: symbolic links are not allowed');
  });

  it('refuses a zip bomb by its compression ratio, before inflating it', () => {
    const bomb = new Uint8Array(20 * 1024 * 1024); // 20 MiB of zeros compress to about 20 KiB
    const errors = errorsOf(validateH5PPackage(zip(packageFiles({ 'content/bomb.json': bomb }))));
    expect(errors[0]).toMatch(/content\/bomb\.json: compressed \d+:1, a zip bomb is suspected/);
  });

  it('refuses an archive whose directory understates a file size, as soon as the output passes the declared size', () => {
    const archive = zip(packageFiles({ 'content/big.json': strToU8(JSON.stringify({ filler: 'x'.repeat(5000) })) }));
    understateSize(archive, 'content/big.json', 100);
    const errors = errorsOf(validateH5PPackage(archive));
    expect(errors).toContain("content/big.json: inflates past the 100 bytes the archive's directory declares");
  });

  it('refuses an entry whose checksum does not match its data', () => {
    const tampered = zip(packageFiles());
    const at = centralHeaderOf(tampered, 'content/content.json') + 16;
    new DataView(tampered.buffer, tampered.byteOffset).setUint32(at, 12345, true);
    expect(errorsOf(validateH5PPackage(tampered))).toContain("content/content.json: size or checksum does not match the archive's directory");
  });

  it('enforces the size and file-count limits', () => {
    const files = packageFiles({ 'content/a.json': strToU8('{"a":"' + 'y'.repeat(4000) + '"}') });
    expect(errorsOf(validateH5PPackage(zip(files), { limits: { maxZipBytes: 500 } }))[0]).toMatch(/at most 1 KiB is allowed/);
    expect(errorsOf(validateH5PPackage(zip(files), { limits: { maxEntries: 3 } }))[0]).toBe('the archive has 5 entries (at most 3 allowed)');
    expect(errorsOf(validateH5PPackage(zip(files), { limits: { maxFileBytes: 1000 } }))[0]).toMatch(/^content\/a\.json: 4 KiB once extracted/);
    expect(errorsOf(validateH5PPackage(zip(files), { limits: { maxTotalBytes: 2000 } }))[0]).toMatch(/^the files add up to/);
  });

  it('refuses file types that are not allowed, and code outside library folders', () => {
    const errors = errorsOf(validateH5PPackage(zip(packageFiles({ 'content/page.html': strToU8('<script>'), 'content/run.js': strToU8('x'), 'Test.Type-1.0/tool.exe': new Uint8Array(4), 'notes.txt': strToU8('x') }))));
    expect(errors).toEqual(
      expect.arrayContaining([
        'content/page.html: file type not allowed here',
        'content/run.js: file type not allowed here',
        'Test.Type-1.0/tool.exe: file type not allowed here',
        'notes.txt: file type not allowed here',
      ]),
    );
  });

  it('refuses encrypted entries and duplicate names', () => {
    const archive = zip(packageFiles());
    setFlag(archive, 'content/content.json', 0x1);
    expect(errorsOf(validateH5PPackage(archive))).toContain('content/content.json: encrypted entries are not allowed');
    const twice = zip(packageFiles({ 'content/Content.json': strToU8('{}') }));
    expect(errorsOf(validateH5PPackage(twice))).toEqual([expect.stringMatching(/ontent\.json: appears more than once/)]);
  });

  it('skips system files instead of extracting them', () => {
    const result = validateH5PPackage(zip(packageFiles({ '__MACOSX/._h5p.json': strToU8('x'), 'content/.DS_Store': strToU8('x') })));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(['__MACOSX/._h5p.json: skipped (system or hidden file)', 'content/.DS_Store: skipped (system or hidden file)']);
  });

  it('refuses what is not a zip or has no h5p.json', () => {
    expect(errorsOf(validateH5PPackage(strToU8('just text, no archive')))).toEqual(['not a zip archive (no end of central directory)']);
    const files = packageFiles();
    delete files['h5p.json'];
    expect(errorsOf(validateH5PPackage(zip(files)))).toContain('h5p.json is missing at the top of the archive (is this an .h5p file?)');
  });

  it('reports bad JSON and bad h5p.json fields with the file name', () => {
    const errors = errorsOf(
      validateH5PPackage(zip(packageFiles({ 'content/content.json': strToU8('{ "text": '), 'h5p.json': strToU8('{"title":"T","mainLibrary":"Test.Type","preloadedDependencies":[]}') }))),
    );
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^content\/content\.json: invalid JSON/), expect.stringMatching(/^h5p\.json: preloadedDependencies: /)]),
    );
  });

  it('reports a missing library, naming who needs it', () => {
    const files = packageFiles({ 'Test.Type-1.0/library.json': strToU8(libraryJson('Test.Type', { preloadedDependencies: [{ machineName: 'H5P.JoubelUI', majorVersion: 1, minorVersion: 3 }] })) });
    expect(errorsOf(validateH5PPackage(zip(files)))).toEqual([
      'missing library H5P.JoubelUI-1.3, needed by Test.Type-1.0/library.json: export the .h5p again with its libraries included',
    ]);
  });

  it('accepts a dependency that is already installed, and refuses an incompatible version', () => {
    const installed = readInstalledLibraries(ROOT);
    const h5p = (minor: number) =>
      strToU8(JSON.stringify({ title: 'T', mainLibrary: 'Capacita.Classify', preloadedDependencies: [{ machineName: 'Capacita.Classify', majorVersion: 1, minorVersion: minor }] }));
    const content = strToU8(JSON.stringify({ title: 'T', instructions: 'I', categories: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], cards: [{ text: 'c', category: 'a', feedback: 'f' }] }));
    const usesInstalled = validateH5PPackage(zip({ 'h5p.json': h5p(0), 'content/content.json': content }), { installed });
    expect(usesInstalled.ok ? [] : usesInstalled.errors).toEqual([]);
    const errors = errorsOf(validateH5PPackage(zip({ 'h5p.json': h5p(1), 'content/content.json': content }), { installed }));
    expect(errors).toEqual([expect.stringContaining('missing library Capacita.Classify-1.1, needed by h5p.json')]);
    expect(errors[0]).toContain('available: Capacita.Classify-1.0; the versions are not compatible');
  });

  it('checks library folders against their library.json', () => {
    const errors = errorsOf(
      validateH5PPackage(
        zip(packageFiles({ 'Test.Type-1.0/library.json': strToU8(libraryJson('Test.Type', { preloadedCss: [{ path: 'styles.css' }], coreApi: { majorVersion: 2, minorVersion: 0 } })), 'Other.Lib-1.0/library.json': strToU8(libraryJson('Other.Lib', { minorVersion: 2 })), 'Loose-1.0/readme.md': strToU8('x') })),
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'Test.Type-1.0/library.json: lists styles.css, which is not in the package',
        expect.stringMatching(/^Test\.Type-1\.0: needs H5P core API 2\.0/),
        'Other.Lib-1.0/library.json: describes Other.Lib 1.2, so the folder must be named Other.Lib-1.2',
        'Loose-1.0/: not a library folder (no library.json)',
      ]),
    );
  });

  it('checks the content.json of our own content types against CONTENT-FORMAT.md', () => {
    const bytes = buildH5PPackage(ROOT, 'demo-classify-es');
    const files = unzipToZippable(bytes);
    const content = JSON.parse(new TextDecoder().decode(files['content/content.json'] as Uint8Array));
    content.cards[1].category = 'nope';
    files['content/content.json'] = strToU8(JSON.stringify(content));
    expect(errorsOf(validateH5PPackage(zip(files)))).toEqual(['content/content.json: cards.1.category: unknown category "nope"']);
  });
});

// ---- helpers that edit an archive's central directory in place, as an attacker would ----

function centralHeaderOf(archive: Uint8Array, name: string): number {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  for (let at = 0; at < archive.length - 46; at += 1) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(archive.subarray(at + 46, at + 46 + length)) === name) return at;
  }
  throw new Error(`no central header for ${name}`);
}

function understateSize(archive: Uint8Array, name: string, size: number): void {
  new DataView(archive.buffer, archive.byteOffset).setUint32(centralHeaderOf(archive, name) + 24, size, true);
}

function setFlag(archive: Uint8Array, name: string, flag: number): void {
  const view = new DataView(archive.buffer, archive.byteOffset);
  const at = centralHeaderOf(archive, name) + 8;
  view.setUint16(at, view.getUint16(at, true) | flag, true);
}

function unzipToZippable(bytes: Uint8Array): Zippable {
  return unzipSync(bytes) as Zippable;
}
