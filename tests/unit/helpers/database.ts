// A real libSQL database in a temp file, migrated like production: unit tests never mock the database.
//
// Running every migration and loading the reference data takes ≈ 80 ms, and the suite opens a database a few hundred
// times. So each test process migrates two template files once (with and without reference data), checkpoints them
// into one file each, and every test gets its own copy of a template: the same schema, the same rows, nothing shared.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../../db/client.ts';
import { applyMigrations } from '../../../db/migrate.ts';
import { loadReferenceData } from '../../../db/seed/reference.ts';

export interface TestDatabase {
  db: Database;
  close: () => void;
}

const templates = new Map<boolean, Promise<string>>();

/** A migrated database file (WAL mode, log checkpointed into the file) to copy; made once per test process. */
function template(reference: boolean): Promise<string> {
  let file = templates.get(reference);
  if (!file) {
    file = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'capacita-unit-template-'));
      const path = join(dir, 'template.db');
      const db = openDatabase({ url: `file:${path}` });
      try {
        await applyMigrations(db);
        if (reference) await loadReferenceData(db);
        await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      } finally {
        db.$client.close();
      }
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return path;
    })();
    templates.set(reference, file);
  }
  return file;
}

export async function createTestDatabase({ reference = true } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'capacita-unit-'));
  const path = join(dir, 'test.db');
  copyFileSync(await template(reference), path);
  const db = openDatabase({ url: `file:${path}` });
  return {
    db,
    close: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
