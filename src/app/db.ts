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
 * Reads that may lag the primary by a moment: aggregates (dashboards, reports, exports) and public reference data
 * that no request of the reader has just written (certificate verification, national bodies and hotlines in lessons
 * and the Guía). A sqld replica when DATABASE_REPORTING_URL is set, so these reads scale out with replicas; else the
 * same handle as getDb(). Never write through it, never read a person's own just-saved data through it (sessions,
 * enrolments, progress, attempts stay on getDb()).
 */
export function getReportingDb(): Database {
  if (!DATABASE_REPORTING_URL) return getDb();
  reporting ??= openDatabase({ url: DATABASE_REPORTING_URL, authToken: DATABASE_AUTH_TOKEN });
  return reporting;
}
