// Glue between the reminders domain (src/server/reminders/) and Astro: the signing secret and test interval from
// astro:env, the course catalogue from the content collections, the dashboard's words for the digests, links on the
// configured public origin.
import { CAPACITA_REMINDERS_EVERY_MS, UNSUBSCRIBE_SECRET } from 'astro:env/server';
import type { Database } from '../../db/client.ts';
import type { Locale } from '../i18n/index.ts';
import { startReminderWorker, verifyUnsubscribe, type DigestLocalizer, type ReminderCatalog, type ReminderWorker } from '../server/reminders/index.ts';
import { demoMode, publicOrigin } from './config.ts';
import { getCourses } from './content.ts';
import { localizeTable, reportNames } from './dashboard.ts';
import { formatCell } from '../server/reports/table.ts';
import { htmlFromText } from '../server/mail/templates.ts';
import type { OutgoingMessage } from '../server/mail/outbox.ts';

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
  return startReminderWorker(db, { catalog: reminderCatalog, origin: publicOrigin, secret, queued, localize: digestLocalizer(db), ...(everyMs ? { everyMs } : {}) });
}

/** The digest's tables in the words and number formats of the dashboard (localizeTable, formatCell). */
export function digestLocalizer(db: Database): DigestLocalizer {
  const names = new Map<Locale, ReturnType<typeof reportNames>>();
  return async (table, locale) => {
    let forLocale = names.get(locale);
    if (!forLocale) names.set(locale, (forLocale = reportNames(db, locale)));
    const shown = localizeTable(table, await forLocale);
    return {
      title: shown.title,
      columns: shown.columns.map((c) => c.label),
      rows: shown.rows.map((row) => row.map((value, i) => formatCell(value, shown.columns[i]!, locale))),
    };
  };
}

const UNSUBSCRIBE_PATH = /^\/(es|en)\/unsubscribe\/?$/;
/** The one-click body is 26 bytes; a multipart one with its boundaries a few hundred. */
const ONE_CLICK_MAX_BYTES = 1024;

/**
 * A mail client's one-click unsubscribe (RFC 8058): a POST of `List-Unsubscribe=One-Click` to the List-Unsubscribe
 * URL of a reminder, sent from the mail provider's servers — so with no Origin, or another one. The only request the
 * origin check lets through from elsewhere (src/middleware.ts), and only once its signature is verified: it can
 * switch one reminder kind off for the person the link names, nothing else. A form Action posted to the same path
 * is never it.
 */
export async function isSignedOneClickUnsubscribe(request: Request, url: URL): Promise<boolean> {
  if (request.method !== 'POST' || !UNSUBSCRIBE_PATH.test(url.pathname) || url.searchParams.has('_action')) return false;
  const secret = unsubscribeSecret();
  if (!secret || !verifyUnsubscribe(secret, { u: url.searchParams.get('u'), k: url.searchParams.get('k'), s: url.searchParams.get('s') })) return false;
  const length = Number(request.headers.get('content-length'));
  if (!Number.isFinite(length) || length <= 0 || length > ONE_CLICK_MAX_BYTES) return false;
  try {
    return (await request.clone().formData()).get('List-Unsubscribe') === 'One-Click';
  } catch {
    return false;
  }
}

/**
 * A digest's HTML part as a page shows it: the body the mail client gets (htmlFromText, the one renderer), without
 * its inline styles (the page's stylesheet and its CSP apply) — the reader's own unsubscribe link included.
 */
export function digestPreviewHtml(message: OutgoingMessage): string {
  const html = htmlFromText(message.subject, message.text, message.locale);
  return (html.match(/<body[^>]*>([\s\S]*)<\/body>/)?.[1] ?? '').replace(/ style="[^"]*"/g, '');
}
