// Sign-in throttling with growing delays. The counters live in the database so every app node sees the same state.
import { eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { throttle } from '../../../db/schema.ts';

/**
 * Failures allowed before any delay; then the wait doubles with each failure, up to 15 minutes. An address gets more:
 * a whole ministry often reaches us from one public address, and one person's typos must not lock out colleagues.
 */
export const FREE_FAILURES = 5;
export const FREE_FAILURES_PER_ADDRESS = 20;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten. */
const RESET_AFTER_MS = 60 * 60 * 1000;

export function delayAfterFailures(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - free), MAX_DELAY_MS);
}

/** Keys of an IP address ("ip:…" for sign-in, "register:ip:…" for registration) get the larger allowance. */
function freeFailuresFor(key: string): number {
  return /^(?:\w+:)?ip:/.test(key) ? FREE_FAILURES_PER_ADDRESS : FREE_FAILURES;
}

export function throttleKeys(ip: string | null, email: string): string[] {
  const keys = [`account:${email.trim().toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

/** Milliseconds the caller must still wait before another attempt on any of the keys (0 = go ahead). */
export async function remainingBlock(db: Database, keys: string[], now = Date.now()): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db.select().from(throttle).where(inArray(throttle.key, keys));
  let wait = 0;
  for (const row of rows) {
    if (now - row.lastFailureAt.getTime() > RESET_AFTER_MS) continue;
    wait = Math.max(wait, row.blockedUntil.getTime() - now);
  }
  return Math.max(0, wait);
}

export async function recordFailure(db: Database, keys: string[], now = Date.now()): Promise<void> {
  await writeTransaction(db, async (tx) => {
    for (const key of keys) {
      const [row] = await tx.select().from(throttle).where(eq(throttle.key, key));
      const stale = !row || now - row.lastFailureAt.getTime() > RESET_AFTER_MS;
      const failures = stale ? 1 : row.failures + 1;
      const blockedUntil = new Date(now + delayAfterFailures(failures, freeFailuresFor(key)));
      await tx
        .insert(throttle)
        .values({ key, failures, lastFailureAt: new Date(now), blockedUntil })
        .onConflictDoUpdate({ target: throttle.key, set: { failures, lastFailureAt: new Date(now), blockedUntil } });
    }
  });
}

/** A successful sign-in clears the account's counter; the IP's counter stays, so one good account can't unlock a spray. */
export async function recordSuccess(db: Database, email: string): Promise<void> {
  await db.delete(throttle).where(eq(throttle.key, `account:${email.trim().toLowerCase()}`));
}

export async function forgetOldFailures(db: Database, now = Date.now()): Promise<void> {
  await db.delete(throttle).where(lt(throttle.lastFailureAt, new Date(now - RESET_AFTER_MS)));
}
