// Prepared statements kept per embedded connection. @libsql/client 0.18 prepares every statement afresh on each call
// and asks the new statement for its columns twice (sqlite3.js executeStmt); with libsql 0.5 on the development
// machine that is ≈ 70 µs to prepare and ≈ 70 µs per columns() call for the session lookup or the lesson's progress
// query, against ≈ 20 µs to run it (bench/README.md, "Capacity"). A signed-in page makes two such reads, so this was a
// quarter of the lesson page's CPU time. The client has no statement cache of its own, so the driver's `prepare` and
// `columns` are memoised here, per connection, for every embedded client in the process.
//
// Why reusing a statement is safe with libsql 0.5: each run/all resets the statement before binding (a statement
// that failed — a constraint, a json() precondition of db/batch.ts — runs normally next time and does not keep a
// transaction from committing), a statement that returned all its rows holds no read lock, and SQLite re-prepares a
// statement by itself when another connection changed the schema (tests/unit/statement-cache.test.ts). A statement
// that failed with SQLITE_BUSY stays active until reused, as an uncached one did until collected: db/busy.ts re-opens
// the pool after a busy error either way, and a new connection starts a new cache. Columns are memoised per SQL text:
// statements name their columns (drizzle never writes `SELECT *`), and a schema change through this connection (DDL,
// exec) empties its cache.
import { createRequire } from 'node:module';

interface DriverStatement {
  columns(): unknown[];
}
interface DriverDatabase {
  prepare(sql: string): DriverStatement;
  exec(sql: string): unknown;
}
type DriverClass = { prototype: DriverDatabase };

/** Statements kept per connection: every statement the application writes fits many times over. */
export const STATEMENTS_PER_CONNECTION = 1000;
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP|VACUUM|PRAGMA|ATTACH|DETACH)\b/i;

const caches = new WeakMap<object, Map<string, DriverStatement>>();
let installed = false;

/** The statements cached on one driver connection (for tests). */
export function cachedStatementCount(connection: object): number {
  return caches.get(connection)?.size ?? 0;
}

/** Memoises `prepare` and `columns` on libsql's Database, once per process. Only embedded clients use that class. */
export function reusePreparedStatements(): void {
  if (installed) return;
  installed = true;
  // The driver @libsql/client itself loads (it is a CommonJS module: one instance per process).
  const require = createRequire(import.meta.url);
  const Driver = require(require.resolve('libsql', { paths: [require.resolve('@libsql/client')] })) as DriverClass;
  const prepare = Driver.prototype.prepare;
  const exec = Driver.prototype.exec;
  Driver.prototype.prepare = function cachedPrepare(this: DriverDatabase, sql: string): DriverStatement {
    if (SCHEMA_CHANGE.test(sql)) {
      caches.delete(this);
      return prepare.call(this, sql);
    }
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map()));
    const cached = cache.get(sql);
    if (cached) return cached;
    const statement = prepare.call(this, sql);
    const columns = statement.columns;
    let known: unknown[] | undefined;
    statement.columns = function cachedColumns(this: DriverStatement) {
      return (known ??= columns.call(this));
    };
    if (cache.size >= STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
    return statement;
  };
  Driver.prototype.exec = function uncachedExec(this: DriverDatabase, sql: string): unknown {
    caches.delete(this);
    return exec.call(this, sql);
  };
}
