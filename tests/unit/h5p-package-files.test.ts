// What the /h5p/… endpoint may serve from content/h5p.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolvePackageFile } from '../../src/server/h5p/resolvePackageFile.ts';

const ROOT = join(import.meta.dirname, '../../content/h5p');

describe('resolvePackageFile', () => {
  it('serves a package h5p.json and content, and library files, with their content types', () => {
    expect(resolvePackageFile(ROOT, 'demo-classify-es/h5p.json')).toMatchObject({ contentType: 'application/json; charset=utf-8', isLibraryFile: false });
    expect(resolvePackageFile(ROOT, 'demo-classify-es/content/content.json')).toMatchObject({ isLibraryFile: false });
    expect(resolvePackageFile(ROOT, 'libraries/Capacita.Classify-1.0/classify.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', isLibraryFile: true });
    expect(resolvePackageFile(ROOT, 'libraries/Capacita.Common-1.0/common.css')).toMatchObject({ contentType: 'text/css; charset=utf-8' });
  });

  it('refuses traversal, other folders, missing files and types that are not allowed', () => {
    for (const path of [
      '../package.json',
      'demo-classify-es/../../package.json',
      '%2e%2e/package.json',
      '/etc/passwd',
      'demo-classify-es/content/../h5p.json',
      'demo-classify-es/secret.json',
      'libraries/library.json',
      'libraries/Capacita.Classify-1.0/missing.js',
      'demo-classify-es/content/run.js',
      'Not-An-Id/h5p.json',
      'libraries/Capacita.Classify-1.0/.hidden.json',
      '',
    ]) {
      expect(resolvePackageFile(ROOT, path), path).toBeNull();
    }
  });
});
