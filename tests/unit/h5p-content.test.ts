// Every package under content/h5p (ours and the course authors') must be complete and valid: packed with the
// libraries it preloads, it passes the same checks as an imported file, and our own types' content.json follows
// docs/CONTENT-FORMAT.md.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildH5PPackage } from '../../src/server/h5p/buildH5PPackage.ts';
import { listPackageIds } from '../../src/server/h5p/h5pContentRoot.ts';
import { validateH5PPackage } from '../../src/server/h5p/validateH5PPackage.ts';

const ROOT = join(import.meta.dirname, '../../content/h5p');

describe('content/h5p', () => {
  const ids = listPackageIds(ROOT);

  it('has the demo package of each of our content types', () => {
    expect(ids).toEqual(expect.arrayContaining(['demo-scenario-es', 'demo-classify-es', 'demo-termmatch-en']));
  });

  it.each(ids)('%s is a complete, valid package', (id) => {
    const result = validateH5PPackage(buildH5PPackage(ROOT, id));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
