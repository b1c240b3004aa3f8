// Writes prepared as data and sent as one batch. Against a libSQL server (sqld) every statement of an interactive
// transaction is an HTTP round trip, and the server's single writer lock is held across all of them, so writers queue
// behind each other's network waits; a batch is one request that the server runs as one transaction. A batch cannot
// branch on what it reads, so the caller reads first (outside any transaction), decides in plain code, and sends its
// writes together with `expect(...)` statements that check the facts it decided on. If one of them no longer holds
// when the batch runs (another request changed the rows meanwhile), the whole batch rolls back and `commit()` answers
// 'stale': the caller then takes its interactive transaction, which re-reads under the write lock (the rare,
// contended case). On an embedded file the same batch is one BEGIN IMMEDIATE … COMMIT in-process.
import { sql, type SQL } from 'drizzle-orm';
import type { InValue } from '@libsql/client';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { PreparedQuery } from 'drizzle-orm/session';
import type { Database } from './client.ts';

/** The text an `expect` failure raises. SQLite has no RAISE outside triggers; json() of a non-JSON text fails the
 * statement (and so the batch), and CASE evaluates it only when the condition is false. */
const STALE_TEXT = 'capacita: a batch precondition no longer holds';

function isStale(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (/malformed JSON/i.test(String((e as { message?: unknown }).message ?? ''))) return true;
  }
  return false;
}

type Prepared = { _prepare(): PreparedQuery };

function statementsOf(items: readonly BatchItem<'sqlite'>[]) {
  const prepared = items.map((item) => (item as unknown as Prepared)._prepare());
  const statements = prepared.map((p) => {
    const { sql: text, params } = p.getQuery();
    return { sql: text, args: params as InValue[] };
  });
  return { prepared, statements };
}

/**
 * Several independent reads in one round trip, from one snapshot. (drizzle's db.batch would do, but it sends a
 * write-mode batch, which on an embedded file waits for the process's write lock, db/busy.ts.)
 */
export async function readTogether<T extends readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]>(db: Database, queries: T): Promise<BatchResponse<T>> {
  const { prepared, statements } = statementsOf(queries);
  const results = await db.$client.batch(statements, 'read');
  return results.map((result, i) => prepared[i]!.mapResult(result, true)) as BatchResponse<T>;
}

export class WritePlan {
  readonly #db: Database;
  readonly #items: BatchItem<'sqlite'>[] = [];
  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Adds a raw statement. Also what makes a plan usable where a function writes through `run` (the report summaries,
   * src/server/reports/summary.ts): their statements join the batch instead of being sent one by one.
   */
  run = async (query: SQL): Promise<void> => {
    this.#items.push(this.#db.run(query));
  };

  /** Adds a built query (insert / update / delete); its index is where its result comes back from `commit`. */
  add(query: BatchItem<'sqlite'>): number {
    return this.#items.push(query) - 1;
  }

  /** The batch rolls back, and `commit` answers 'stale', unless `condition` holds when this statement runs. */
  expect(condition: SQL): void {
    this.#items.push(this.#db.run(sql`SELECT CASE WHEN ${condition} THEN 1 ELSE json(${STALE_TEXT}) END`));
  }

  /** The previous statement changed exactly `rows` rows (SQLite's changes(): the claim of a conditional UPDATE). */
  expectChanged(rows: number): void {
    this.expect(sql`changes() = ${rows}`);
  }

  get size(): number {
    return this.#items.length;
  }

  /** Sends the plan as one batch (retried whole while the database is busy, db/busy.ts). */
  async commit(): Promise<unknown[] | 'stale'> {
    if (this.#items.length === 0) return [];
    // What drizzle's db.batch does, but as a 'write' batch (BEGIN IMMEDIATE): drizzle's starts deferred, and a deferred
    // transaction that reads before it writes must fail (SQLITE_BUSY_SNAPSHOT) when another process committed between.
    const { prepared, statements } = statementsOf(this.#items);
    try {
      const results = await this.#db.$client.batch(statements, 'write');
      return results.map((result, i) => prepared[i]!.mapResult(result, true));
    } catch (error) {
      if (isStale(error)) return 'stale';
      throw error;
    }
  }
}
