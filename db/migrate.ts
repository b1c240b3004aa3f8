import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { prepareEmbeddedFile, type Database } from './client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function applyMigrations(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (db.$client.protocol === 'file') await prepareEmbeddedFile(db);
  await migrate(db, { migrationsFolder });
}
