// Rows that only grow unless something removes them: sessions past their expiry and sign-in throttle counters past
// their reset. They are purged by a small in-process worker, like the mail queue's (src/server/mail/worker.ts):
// every app node runs one, and each round is claimed in the database with one atomic UPDATE on job_runs, so with
// several nodes one of them purges per interval and the others find the round taken.
import { and, eq, lte } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { jobRuns } from '../../db/schema.ts';
import { deleteExpiredSessions } from './auth/session.ts';
import { forgetOldFailures } from './auth/throttle.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';
/** How often the purge runs across the whole deployment. */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;
/** How often each node checks whether a round is due (cheap: one UPDATE that usually matches nothing). */
const CHECK_EVERY_MS = 5 * 60 * 1000;

/** Takes the job's next round for this node when it is due; false when it is not due or another node took it. */
export async function claimJobRound(db: Database, name: string, intervalMs: number, now = Date.now()): Promise<boolean> {
  await db.insert(jobRuns).values({ name, nextRunAt: new Date(now) }).onConflictDoNothing();
  const claimed = await db
    .update(jobRuns)
    .set({ nextRunAt: new Date(now + intervalMs), lastRunAt: new Date(now) })
    .where(and(eq(jobRuns.name, name), lte(jobRuns.nextRunAt, new Date(now))))
    .returning({ name: jobRuns.name });
  return claimed.length === 1;
}

/** Runs one purge when this node wins the round; returns whether it ran. */
export async function runHousekeeping(db: Database, now = Date.now(), intervalMs = HOUSEKEEPING_INTERVAL_MS): Promise<boolean> {
  if (!(await claimJobRound(db, HOUSEKEEPING_JOB, intervalMs, now))) return false;
  await deleteExpiredSessions(db, now);
  await forgetOldFailures(db, now);
  return true;
}

export interface HousekeepingWorker {
  stop(): void;
}

export function startHousekeeping(db: Database, options: { checkEveryMs?: number } = {}): HousekeepingWorker {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      await runHousekeeping(db);
    } catch (error) {
      // A busy database or a failed delete: the round's claim has moved on, the next one tries again.
      console.error('[housekeeping] purge failed:', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(round, options.checkEveryMs ?? CHECK_EVERY_MS);
  timer.unref?.();
  void round();
  return { stop: () => clearInterval(timer) };
}
