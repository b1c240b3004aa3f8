// `npm run db:backup [-- <file>]`: a consistent online snapshot of DATABASE_URL's embedded database, by default into
// backups/<timestamp>.db (git-ignored). Safe while the server runs.
import { join } from 'node:path';
import { backupDatabase, backupFileName } from './backup.ts';
import { DEFAULT_DATABASE_URL } from './client.ts';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const target = process.argv[2] || join('backups', backupFileName());
try {
  const { path, bytes } = await backupDatabase(url, target);
  console.log(`Backup written: ${path} (${(bytes / 1024 / 1024).toFixed(1)} MiB, integrity ok)`);
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
