// `npm run db:restore -- <file> [--force]`: checks the backup, then atomically replaces DATABASE_URL's embedded
// database with it. Refuses while a server holds the database (stop it first) unless --force.
import { restoreDatabase } from './backup.ts';
import { DEFAULT_DATABASE_URL } from './client.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('Usage: npm run db:restore -- <backup.db> [--force]');
  process.exit(2);
}
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
try {
  const { path } = await restoreDatabase(file, url, { force });
  console.log(`Restored ${file} into ${path}.`);
} catch (error) {
  console.error(`Restore refused: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
