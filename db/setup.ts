// What `npm start` (and the test server) does to a database before serving: migrate, load reference data and,
// for the demo, the demo accounts and a synthetic population. Safe to run on every start: existing data stays.
import { openDatabase, type DatabaseOptions } from './client.ts';
import { applyMigrations } from './migrate.ts';
import { loadReferenceData } from './seed/reference.ts';
import { ensureDemoAccounts } from './seed/demo-accounts.ts';

export interface SetupOptions extends DatabaseOptions {
  demo: boolean;
  log?: (line: string) => void;
}

export async function setupDatabase({ demo, log = () => {}, ...connection }: SetupOptions): Promise<void> {
  const db = openDatabase(connection);
  try {
    log('Applying migrations…');
    await applyMigrations(db);
    log('Loading reference data…');
    await loadReferenceData(db);
    if (demo) {
      log('Ensuring demo accounts…');
      await ensureDemoAccounts(db);
    }
  } finally {
    db.$client.close();
  }
}
