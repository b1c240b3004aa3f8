// Glue between the reminders domain (src/server/reminders/) and Astro: the signing secret and test interval from
// astro:env, the course catalogue from the content collections, links on the configured public origin.
import { CAPACITA_REMINDERS_EVERY_MS, UNSUBSCRIBE_SECRET } from 'astro:env/server';
import type { Database } from '../../db/client.ts';
import { startReminderWorker, type ReminderCatalog, type ReminderWorker } from '../server/reminders/index.ts';
import { demoMode, publicOrigin } from './config.ts';
import { getCourses } from './content.ts';

/**
 * The secret unsubscribe links are signed with; null when reminders are off. There is no default, not even in the
 * demo: its synthetic population would otherwise get a few hundred reminders at every start.
 */
export function unsubscribeSecret(): string | null {
  return UNSUBSCRIBE_SECRET || null;
}

export async function reminderCatalog(): Promise<ReminderCatalog> {
  const courses = await getCourses();
  return {
    refresherCourseId: courses.find((c) => c.programme === 'actualizacion')?.id ?? null,
    courses: courses.map((c) => ({ id: c.id, title: c.title, attempts: c.quiz.attempts, cooldownMinutes: c.quiz.cooldownMinutes })),
  };
}

/** Starts this process's reminder worker, or explains once why reminders are off. */
export function startReminders(db: Database, queued: () => void): ReminderWorker | null {
  const secret = unsubscribeSecret();
  if (!secret) {
    if (!demoMode) console.warn('[reminders] UNSUBSCRIBE_SECRET is not set: no reminders are sent (see .env.example).');
    return null;
  }
  const everyMs = Number(CAPACITA_REMINDERS_EVERY_MS) || undefined;
  return startReminderWorker(db, { catalog: reminderCatalog, origin: publicOrigin, secret, queued, ...(everyMs ? { everyMs } : {}) });
}
