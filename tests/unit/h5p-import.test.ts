// Import round trip: a package built from our own libraries goes through `npm run h5p:import` (the CLI) and comes out
// identical; libraries are de-duplicated, patch versions upgrade, and nothing is written for a refused file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { buildH5PPackage } from '../../src/server/h5p/buildH5PPackage.ts';
import { importH5PPackage } from '../../src/server/h5p/importH5PPackage.ts';
import { listFolderFiles } from '../../src/server/h5p/listFolderFiles.ts';

const PROJECT = join(import.meta.dirname, '../..');
const ROOT = join(PROJECT, 'content/h5p');

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'h5p-import-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function runImport(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/h5p-import.ts', ...args], { cwd: PROJECT, encoding: 'utf8' });
}

function sameFolder(a: string, b: string): void {
  expect(listFolderFiles(a)).toEqual(listFolderFiles(b));
  for (const path of listFolderFiles(a)) expect(readFileSync(join(a, path)), path).toEqual(readFileSync(join(b, path)));
}

describe('npm run h5p:import', () => {
  it('round-trips a package built from our own library', () => {
    const file = join(work, 'Demo Clasificar.h5p');
    writeFileSync(file, buildH5PPackage(ROOT, 'demo-classify-es'));
    const target = join(work, 'h5p');

    const first = runImport(file, '--root', target);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('as demo-clasificar');
    expect(first.stdout).toContain('libraries added: Capacita.Classify-1.0 (1.0.0), Capacita.Common-1.0 (1.0.0)');
    sameFolder(join(target, 'demo-clasificar'), join(ROOT, 'demo-classify-es'));
    sameFolder(join(target, 'libraries/Capacita.Classify-1.0'), join(ROOT, 'libraries/Capacita.Classify-1.0'));
    sameFolder(join(target, 'libraries/Capacita.Common-1.0'), join(ROOT, 'libraries/Capacita.Common-1.0'));

    // Packed again from the imported copy, the archive holds the same files.
    const again = unzipSync(buildH5PPackage(target, 'demo-clasificar'));
    const original = unzipSync(buildH5PPackage(ROOT, 'demo-classify-es'));
    expect(Object.keys(again).sort()).toEqual(Object.keys(original).sort());

    const second = runImport(file, '--root', target, '--id', 'demo-copy');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('libraries already installed: Capacita.Classify-1.0 (1.0.0), Capacita.Common-1.0 (1.0.0)');
    expect(readdirSync(join(target, 'libraries')).sort()).toEqual(['Capacita.Classify-1.0', 'Capacita.Common-1.0']);
  });

  it('refuses an existing id unless --replace is given', () => {
    const file = join(work, 'demo.h5p');
    writeFileSync(file, buildH5PPackage(ROOT, 'demo-scenario-es'));
    const target = join(work, 'h5p');
    expect(runImport(file, '--root', target).status).toBe(0);
    const refused = runImport(file, '--root', target);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('a package with id "demo" already exists');
    expect(runImport(file, '--root', target, '--replace').status).toBe(0);
  });

  it('prints every problem and writes nothing when the file is refused', () => {
    const files = unzipSync(buildH5PPackage(ROOT, 'demo-termmatch-en'));
    delete files['Capacita.Common-1.0/library.json'];
    delete files['Capacita.Common-1.0/common.js'];
    delete files['Capacita.Common-1.0/common.css'];
    files['../escape.json'] = strToU8('{}');
    const file = join(work, 'broken.h5p');
    writeFileSync(file, zipSync(files));
    const target = join(work, 'h5p');
    const result = runImport(file, '--root', target);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('✗');
    expect(result.stderr).toContain('"../escape.json": parent directory (..) in path');
    expect(existsSync(target)).toBe(false);

    delete files['../escape.json'];
    writeFileSync(file, zipSync(files));
    const missing = runImport(file, '--root', target);
    expect(missing.stderr).toContain('missing library Capacita.Common-1.0, needed by Capacita.TermMatch-1.0/library.json');
    expect(existsSync(target)).toBe(false);
  });

  it('upgrades a library to a newer patch version and keeps a newer installed one', () => {
    const target = join(work, 'h5p');
    cpSync(join(ROOT, 'libraries'), join(target, 'libraries'), { recursive: true });
    const files = unzipSync(buildH5PPackage(ROOT, 'demo-classify-es'));
    const library = JSON.parse(new TextDecoder().decode(files['Capacita.Common-1.0/library.json']));
    files['Capacita.Common-1.0/library.json'] = strToU8(JSON.stringify({ ...library, patchVersion: 3 }));
    files['Capacita.Common-1.0/common.js'] = strToU8('/* patched */');

    const upgraded = importH5PPackage(zipSync(files), { root: target, id: 'upgraded' });
    expect(upgraded.ok && upgraded.report.librariesUpgraded).toEqual(['Capacita.Common-1.0 (1.0.0 → 1.0.3)']);
    expect(readFileSync(join(target, 'libraries/Capacita.Common-1.0/common.js'), 'utf8')).toBe('/* patched */');

    const older = importH5PPackage(buildH5PPackage(ROOT, 'demo-classify-es'), { root: target, id: 'older' });
    expect(older.ok && older.report.warnings).toEqual(['Capacita.Common-1.0: the package brings patch 1.0.0, the installed 1.0.3 is newer and is kept']);
    expect(readFileSync(join(target, 'libraries/Capacita.Common-1.0/common.js'), 'utf8')).toBe('/* patched */');
  });

  it('refuses ids that are not lower-case words joined by dashes', () => {
    const zip = buildH5PPackage(ROOT, 'demo-scenario-es');
    for (const id of ['../x', 'libraries', 'Upper', 'a b', '']) {
      const result = importH5PPackage(zip, { root: join(work, 'h5p'), id });
      expect(result.ok, id).toBe(false);
    }
  });

  it('prints the usage without a file', () => {
    expect(() => execFileSync(process.execPath, ['scripts/h5p-import.ts'], { cwd: PROJECT, stdio: 'pipe' })).toThrow(/usage: npm run h5p:import/);
  });
});
