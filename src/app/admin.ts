// Glue between the administration domain (src/server/admin/*) and Astro: the public origin for links in e-mails, the
// 2FA requirement from astro:env, and the mail worker started on first use.
import { MAIL_FROM, SMTP_URL } from 'astro:env/server';
import type { Role } from '../../db/schema.ts';
import { requiresSecondFactor } from '../server/policy.ts';
import { secondFactorRequired } from './config.ts';
import { startMailWorker, type MailWorker } from '../server/mail/worker.ts';
import { startHousekeeping, type HousekeepingWorker } from '../server/housekeeping.ts';
import type { ReminderWorker } from '../server/reminders/index.ts';
import { startReminders } from './reminders.ts';
import { getDb } from './db.ts';

/** The origin written into e-mailed links: PUBLIC_ORIGIN when set (behind a proxy), else the request's. */
export { publicOrigin } from './config.ts';

/** Whether this role must use a second factor here (CAPACITA_REQUIRE_2FA, by default on outside the demo). */
export function twoFactorRequiredFor(role: Role): boolean {
  return secondFactorRequired && requiresSecondFactor(role);
}

let worker: MailWorker | undefined;
let housekeeping: HousekeepingWorker | undefined;
let reminders: ReminderWorker | null | undefined;

/**
 * Starts the in-process background workers once per server process (called by the middleware): the mail queue, the
 * purge of expired sessions and old throttle counters (one node per round, src/server/housekeeping.ts), and the
 * reminder scheduler (src/server/reminders/worker.ts).
 */
export function ensureMailWorker(): MailWorker {
  worker ??= startMailWorker(getDb(), { smtpUrl: SMTP_URL, from: MAIL_FROM });
  housekeeping ??= startHousekeeping(getDb());
  const mail = worker;
  if (reminders === undefined) reminders = startReminders(getDb(), () => mail.poke());
  return worker;
}

/** Asks the worker to deliver now rather than at its next tick (after a request queued mail). */
export function deliverMailSoon(): void {
  ensureMailWorker().poke();
}
