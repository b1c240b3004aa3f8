// A real libSQL database in a temp file, migrated like production: unit tests never mock the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../../db/client.ts';
import { applyMigrations } from '../../../db/migrate.ts';
import { loadReferenceData } from '../../../db/seed/reference.ts';

export interface TestDatabase {
  db: Database;
  close: () => void;
}

export async function createTestDatabase({ reference = true } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'capacita-unit-'));
  const db = openDatabase({ url: `file:${join(dir, 'test.db')}` });
  await applyMigrations(db);
  if (reference) await loadReferenceData(db);
  return {
    db,
    close: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
