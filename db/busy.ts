// SQLITE_BUSY / SQLITE_LOCKED: another writer holds the database. The embedded client already waits up to its busy
// `timeout` (db/client.ts) before giving up; on top of that every call that is safe to repeat as a whole — a single
// autocommit statement, an atomic batch, the BEGIN of a transaction — is retried here with backoff. When the database
// stays busy the caller gets a DatabaseBusyError whose message is an i18n key, which src/middleware.ts answers with
// 503 + Retry-After and a translated text: a busy database is never shown to a person as a 500.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client, Transaction as ClientTransaction } from '@libsql/client';
import type { Database, Transaction } from './client.ts';

/** The i18n key a persistent busy error carries, so Actions and pages can translate it. */
export const BUSY_MESSAGE_KEY = 'errors.busy';
/** Seconds a client is asked to wait before trying again (Retry-After). */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * Set per request by the middleware: records that the database stayed busy during it, even when a framework layer
 * (an Action's error wrapping, a DrizzleQueryError) has since replaced the error with its own.
 */
export const busySignal = new AsyncLocalStorage<{ busy: boolean }>();

export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(cause: unknown) {
    super(BUSY_MESSAGE_KEY, { cause });
    this.name = 'DatabaseBusyError';
  }
}

/**
 * True for SQLITE_BUSY*, SQLITE_LOCKED* and their texts, wherever they sit in an error's `cause` chain — and for a
 * libSQL server turning a request away with HTTP 429/503 (sqld caps its concurrent requests): the request was not
 * executed, so it is as safe to repeat as a busy BEGIN.
 */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseBusyError) return true;
    const { code, extendedCode, message } = e as { code?: unknown; extendedCode?: unknown; message?: unknown };
    for (const c of [code, extendedCode]) if (typeof c === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(c)) return true;
    if (typeof message === 'string' && /database is (locked|busy)|SQLITE_BUSY|SQLITE_LOCKED/i.test(message)) return true;
    if (code === 'SERVER_ERROR' && typeof message === 'string' && /HTTP status (429|503)\b/.test(message)) return true;
  }
  return false;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** First pause in ms; it doubles each time, with jitter. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where a wrapped client keeps the retry options it was given, for writeTransaction. */
const RETRY_OPTIONS = Symbol('capacita.busyRetryOptions');

/**
 * Runs `operation`, repeating it while it fails with a busy error. Use it only for work that is safe to repeat whole
 * (it did nothing when it failed busy): an autocommit statement, a batch, a whole transaction callback.
 */
export async function withBusyRetry<T>(operation: () => Promise<T>, { attempts = 3, baseDelayMs = 50, sleep = pause }: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (attempt >= attempts) {
        const store = busySignal.getStore();
        if (store) store.busy = true;
        throw error instanceof DatabaseBusyError ? error : new DatabaseBusyError(error);
      }
      const delay = baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay / 2 + Math.random() * delay);
    }
  }
}

/**
 * The same client, with execute / batch / executeMultiple / transaction-begin retried on busy. Statements inside an
 * open transaction are not retried one by one (the transaction as a whole decides); a transaction's BEGIN is
 * (write transactions start with BEGIN IMMEDIATE, so a busy one has done nothing yet).
 *
 * Embedded files need one more thing: @libsql/client 0.18 leaves a statement that failed with SQLITE_BUSY active on
 * its pooled connection, and every later COMMIT on that connection then fails ("cannot commit transaction - SQL
 * statements in progress"). So after a busy error the pool is re-opened (`reconnect()`) as soon as nothing is in
 * flight; new work waits for that at most GATE_WAIT_MS (never forever: a caller may hold a transaction while it
 * awaits another query).
 */
export function withBusyRetries(client: Client, options: RetryOptions = {}): Client {
  const GATE_WAIT_MS = 250;
  const heals = client.protocol === 'file';
  // One writer at a time per process for an embedded file: the driver waits for a busy lock *synchronously*, which
  // would freeze the event loop that the other writer (our own open transaction) needs to reach COMMIT.
  const writes = heals ? new WriteLock() : null;
  let inFlight = 0;
  let poisoned = false;
  let drained: Array<() => void> = [];

  async function gate(): Promise<void> {
    if (!poisoned) return;
    if (inFlight > 0) await new Promise<void>((resolve) => {
      drained.push(resolve);
      setTimeout(resolve, GATE_WAIT_MS);
    });
    if (poisoned && inFlight === 0) {
      poisoned = false;
      await client.reconnect();
    }
  }
  function finish(): void {
    inFlight--;
    if (inFlight === 0 && drained.length) {
      const waiting = drained;
      drained = [];
      for (const resolve of waiting) resolve();
    }
  }
  function noteFailure(error: unknown): never {
    if (heals && isBusyError(error)) poisoned = true;
    throw error;
  }
  async function tracked<T>(operation: () => Promise<T>, write: boolean): Promise<T> {
    const release = write && writes ? await writes.acquire() : null;
    try {
      await gate();
      inFlight++;
      try {
        return await operation();
      } catch (error) {
        return noteFailure(error);
      } finally {
        finish();
      }
    } finally {
      release?.();
    }
  }
  async function beginTransaction(begin: () => Promise<ClientTransaction>, write: boolean): Promise<ClientTransaction> {
    const release = write && writes ? await writes.acquire() : null;
    await gate();
    inFlight++;
    let tx: ClientTransaction;
    try {
      tx = await begin();
    } catch (error) {
      finish();
      release?.();
      return noteFailure(error);
    }
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        finish();
        release?.();
      }
    };
    return new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'commit' || property === 'rollback') {
          return async (...args: unknown[]) => {
            try {
              return await value.apply(target, args);
            } catch (error) {
              return noteFailure(error);
            } finally {
              settle();
            }
          };
        }
        if (property === 'close') return (...args: unknown[]) => { try { return value.apply(target, args); } finally { settle(); } };
        return value.bind(target);
      },
    });
  }

  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === RETRY_OPTIONS) return options;
      const value = Reflect.get(target, property, receiver);
      if (property === 'transaction' && typeof value === 'function') {
        return (...args: unknown[]) => withBusyRetry(() => beginTransaction(() => value.apply(target, args), args[0] !== 'read'), options);
      }
      if ((property === 'execute' || property === 'batch' || property === 'executeMultiple' || property === 'migrate') && typeof value === 'function') {
        return (...args: unknown[]) => withBusyRetry(() => tracked(() => value.apply(target, args), writesData(property, args)), options);
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const READ_ONLY = /^\s*(select|pragma\s+\w+\s*$|explain|values)\b/i;

/** Whether a client call may write (anything but a plain SELECT / read pragma / read batch counts as a write). */
function writesData(method: string | symbol, args: unknown[]): boolean {
  if (method === 'execute') {
    const statement = args[0];
    const sql = typeof statement === 'string' ? statement : (statement as { sql?: string } | undefined)?.sql ?? '';
    return !READ_ONLY.test(sql);
  }
  if (method === 'batch') return args[1] !== 'read';
  return true;
}

/** A FIFO async mutex. A waiter gives up waiting after `maxWaitMs` (then SQLite's own locking decides), so a caller
 * that writes outside its own open transaction cannot hang forever. */
class WriteLock {
  #held = false;
  #queue: Array<() => void> = [];
  readonly maxWaitMs: number;
  constructor(maxWaitMs = 10_000) {
    this.maxWaitMs = maxWaitMs;
  }
  acquire(): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#held = false;
    };
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      let done = false;
      const grant = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.#queue.splice(this.#queue.indexOf(grant), 1);
        resolve(() => {}); // proceed without the lock; releasing it is not ours to do
      }, this.maxWaitMs);
      this.#queue.push(grant);
    });
  }
}

/**
 * The one way to open a write transaction (db.transaction and the raw client's transaction are not used directly):
 * retried whole while the database is busy, so the callback only touches the database (no e-mail sent, no file
 * written inside), which is what a transaction callback should be anyway. Learner writes that must be fast against
 * a libSQL server send a batch instead (db/batch.ts) and keep a transaction for the contended case.
 */
export function writeTransaction<T>(db: Database, callback: (tx: Transaction) => Promise<T>, options?: RetryOptions): Promise<T> {
  // Over HTTP a transaction's BEGIN travels with its first statement, so a server's refusal surfaces here: retry as
  // patiently as the client was told to (db/client.ts).
  const configured = (db.$client as unknown as Record<symbol, RetryOptions | undefined>)[RETRY_OPTIONS];
  return withBusyRetry(() => db.transaction(callback), options ?? configured);
}
