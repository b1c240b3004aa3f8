// Runs the reminder scheduler (and the monthly digests) in the background of every app node. Normally the nodes take turns: each checks every
// few minutes and one claims the hourly round (job_runs, like housekeeping). `everyMs` — armed only by
// CAPACITA_REMINDERS_EVERY_MS, for tests — makes every node run a pass that often without taking turns, which is
// how the e2e suite shows that nodes racing each other still send each reminder once.
import type { Database } from '../../../db/client.ts';
import { claimJobRound } from '../housekeeping.ts';
import { runDigests, type DigestLocalizer } from './digest.ts';
import { runReminders, type ReminderCatalog } from './scheduler.ts';

export const REMINDERS_JOB = 'reminders';
/** Hourly: every country's midnight falls on an hour boundary, so a local day's reminders go within its first hour. */
export const REMINDERS_INTERVAL_MS = 60 * 60 * 1000;
const CHECK_EVERY_MS = 5 * 60 * 1000;

export interface ReminderWorkerOptions {
  catalog: () => Promise<ReminderCatalog>;
  origin: () => string;
  secret: string;
  /** Puts the monthly digests' tables into words (the app's dashboard translation); no digests without it. */
  localize?: DigestLocalizer;
  /** Called after a pass that queued mail (the mail worker delivers now rather than at its next tick). */
  queued?: () => void;
  everyMs?: number;
}

export interface ReminderWorker {
  stop(): void;
}

export function startReminderWorker(db: Database, options: ReminderWorkerOptions): ReminderWorker {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const now = Date.now();
      if (!options.everyMs && !(await claimJobRound(db, REMINDERS_JOB, REMINDERS_INTERVAL_MS, now))) return;
      const origin = options.origin();
      const stats = await runReminders(db, { now, catalog: await options.catalog(), origin, secret: options.secret });
      const digests = options.localize ? await runDigests(db, { now, origin, secret: options.secret, localize: options.localize }) : null;
      if (stats.queued > 0 || (digests?.queued ?? 0) > 0) options.queued?.();
    } catch (error) {
      // The round's batches that committed stay committed; the next round picks up the rest.
      console.error('[reminders] pass failed:', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(round, options.everyMs ?? CHECK_EVERY_MS);
  timer.unref?.();
  void round();
  return { stop: () => clearInterval(timer) };
}
