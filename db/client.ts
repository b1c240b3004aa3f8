import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema.ts';
import { withBusyRetries, type RetryOptions } from './busy.ts';
import { reusePreparedStatements } from './statement-cache.ts';

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

/**
 * Anything that runs queries: the database, or the handle of a transaction opened with writeTransaction (db/busy.ts).
 * Functions that may run inside a caller's transaction take this; narrower needs take `Pick<Executor, 'select'>`.
 */
export type Executor = Database | Transaction;

/** The handle a write transaction's callback receives. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export const DEFAULT_DATABASE_URL = 'file:data/capacita.db';

export interface DatabaseOptions {
  url?: string;
  authToken?: string;
  /** How long an embedded writer waits for another before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** Retries on busy past that wait (db/busy.ts). */
  busyRetry?: RetryOptions;
}

/**
 * Opens the embedded database file (creating its folder) or connects to a libSQL server (`libsql://`, `http://`).
 * The same code runs against both; only the URL changes.
 */
export function openDatabase({ url = DEFAULT_DATABASE_URL, authToken, busyTimeoutMs = 5_000, busyRetry }: DatabaseOptions = {}): Database {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    reusePreparedStatements();
  }
  // A writer waits up to 5 s for another writer instead of failing with SQLITE_BUSY at once. Past that, whole
  // statements, batches and transaction starts are retried with backoff (db/busy.ts), then answered with 503.
  // A libSQL server refuses at once when at its concurrent-request cap (HTTP 429), where a file waits up to its busy
  // timeout first: a server gets more, growing pauses (≈ 1.5 s in all) before the caller hears 503.
  const retry = busyRetry ?? (isFile ? undefined : { attempts: 6 });
  const client = withBusyRetries(createClient({ url, authToken: authToken || undefined, timeout: isFile ? busyTimeoutMs : undefined, fetch: isFile ? undefined : uncompressedFetch }), retry);
  return drizzle(client, { schema }) as Database;
}

/**
 * fetch for a libSQL server, asking for uncompressed answers. Node's fetch asks for gzip by default and sqld then
 * compresses every answer, a few hundred bytes of JSON each: inflating them cost the app ≈ 0.5–0.9 ms of CPU per
 * request (of ≈ 2 ms; zlib was the largest item of the client's profile), on loopback or a private network where the
 * bytes cost nothing.
 */
export function uncompressedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  request.headers.set('accept-encoding', 'identity');
  return fetch(request);
}

/** WAL lets readers proceed while one writer commits; set once per file (the mode persists in the file). */
export async function prepareEmbeddedFile(db: Database): Promise<void> {
  await db.$client.execute('PRAGMA journal_mode = WAL');
}
