// The app's database handles, configured from astro:env. Domain modules receive them as a parameter.
import { DATABASE_AUTH_TOKEN, DATABASE_REPORTING_URL, DATABASE_URL } from 'astro:env/server';
import { openDatabase, type Database } from '../../db/client.ts';

let instance: Database | undefined;
let reporting: Database | undefined;

/** Reads and writes: the embedded file, or the sqld primary. A learner's own reads go here (they see their writes). */
export function getDb(): Database {
  instance ??= openDatabase({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
  return instance;
}

/**
 * Aggregate reads that may lag the primary by a moment (dashboards, reports, exports): a sqld replica when
 * DATABASE_REPORTING_URL is set, else the same handle as getDb(). Never write through it, never read a person's own
 * just-saved progress through it.
 */
export function getReportingDb(): Database {
  if (!DATABASE_REPORTING_URL) return getDb();
  reporting ??= openDatabase({ url: DATABASE_REPORTING_URL, authToken: DATABASE_AUTH_TOKEN });
  return reporting;
}
