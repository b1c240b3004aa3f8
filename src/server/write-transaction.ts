// Write transactions, one at a time per process and database handle.
//
// Why: the embedded libSQL driver runs statements synchronously on a pool of connections. When two transactions of
// the same process overlap, the second BEGIN waits for the lock *synchronously* (busy timeout), which blocks the event
// loop the first transaction needs to reach COMMIT: both stall until the timeout and the second fails with
// SQLITE_BUSY. Queuing our transactions in-process avoids that; across processes (or against a libSQL server) the
// database's own locking and the conditional UPDATEs inside the transactions keep things correct.
import type { Database } from '../../db/client.ts';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

const queues = new WeakMap<object, Promise<unknown>>();

export function writeTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  const run = previous.then(() => db.transaction(work));
  queues.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}
