// The monthly digest (issue 15): a committee member gets their country's month — coverage against targets per
// institution, who lapsed, pending specialised-unit requests and unconfirmed registrations — and the coordination the
// regional comparison; observers get none. Every figure is one the reader's dashboard or lists already show them:
// who gets what is the policy's answer (the dashboard's actions), the tables are the dashboard's views, the counts
// those of the lists the same policy opens.
//
// Exactly once, as the reminders: the pass records (person, 'digest_monthly', the month) in reminders_sent in the
// transaction that queues the mail (scheduler.ts BatchWriter). The month is the reader's country's: on the 1st after
// local midnight the month just ended is due, and it stays due until the end of that next month (a scheduler that was
// down on the 1st sends late, never twice). "Send me this digest now" gives the month so far, at most once per
// DIGEST_NOW_GAP_MS per person.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { REMINDER_KINDS, type Locale, type ReminderKind, type Role, type SpecialistStatus } from '../../../db/schema.ts';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { intlLocale, translate } from '../../i18n/index.ts';
import { listCountries } from '../directory.ts';
import { DomainError, forbidden } from '../errors.ts';
import type { OutgoingMessage } from '../mail/outbox.ts';
import { can, countryScope, type Actor } from '../policy.ts';
import { refresherPeople } from '../reports/refreshers.ts';
import { scopeWhere, type CountryScope } from '../reports/scope.ts';
import type { Term, ViewTable } from '../reports/table.ts';
import { buildViews } from '../reports/views/index.ts';
import { digestMail, type DigestTable } from './digest-mail.ts';
import { localMonth, shiftMonth, startOfLocalDay } from './local-day.ts';
import { BatchWriter, eligible, emptyStats, recipient, timeZoneOf, type PersonRow, type ReminderRunStats } from './scheduler.ts';

export const DIGEST_KIND = 'digest_monthly';
export const DIGEST_NOW_KIND = 'digest_now';
/** "Send me this digest now" at most this often per person. */
export const DIGEST_NOW_GAP_MS = 10 * 60 * 1000;
/** Names of people who lapsed listed in the mail; the rest are on the refresher list it links to. */
export const DIGEST_LAPSED_NAMES = 25;

/** Whose figures a digest holds: one country (committee), or the region (coordination). */
export type DigestAudience = { kind: 'country'; countryCode: string } | { kind: 'region' };

/** The digest an actor may get: the regional comparison for who may open it, else their country's dashboard; observers none. */
export function digestAudience(actor: Actor | null | undefined): DigestAudience | null {
  if (!actor) return null;
  if (can(actor, 'dashboard.viewRegion')) return { kind: 'region' };
  if (actor.countryCode && can(actor, 'dashboard.view', { countryCode: actor.countryCode })) return { kind: 'country', countryCode: actor.countryCode };
  return null;
}

/** The reminder kinds a person chooses among (account page): every kind, the digest only for who gets one. */
export function reminderKindsFor(actor: Actor | null | undefined): ReminderKind[] {
  return REMINDER_KINDS.filter((kind) => kind !== 'digest' || digestAudience(actor) !== null);
}

/** A calendar month in a time zone, measured at `asOf` (its end, or now for the month so far). */
export interface DigestPeriod {
  month: string;
  from: number;
  until: number;
  asOf: number;
  timeZone: string;
}

export function monthPeriod(month: string, timeZone: string, now: number): DigestPeriod {
  const from = startOfLocalDay(`${month}-01`, timeZone);
  const until = startOfLocalDay(`${shiftMonth(month, 1)}-01`, timeZone);
  return { month, from, until, asOf: Math.min(now, until), timeZone };
}

/** The month a monthly digest sent at `now` reports: the one that ended last, in the reader's zone. */
export const reportedMonth = (now: number, timeZone: string): string => shiftMonth(localMonth(now, timeZone), -1);

export interface LapsedPerson {
  name: string;
  institution: string;
  validUntil: number;
}

/** What a digest says, before the app puts it into words (tables are view tables: Terms, translated at the edge). */
export interface DigestContent {
  audience: DigestAudience;
  period: DigestPeriod;
  /** Coverage against targets: per institution (a country), per country (the region); one column per track. */
  coverage: ViewTable;
  /** People whose training lapsed in the month (a country, for who may see the named list); null otherwise. */
  lapsed: { total: number; people: LapsedPerson[] } | null;
  /** Pending specialised-unit requests and unconfirmed registrations, where the reader's lists show them. */
  pendingSpecialists: number | null;
  unverified: number | null;
}

/** The figures of one actor's digest for a period; null when the actor gets none. */
export async function buildDigest(db: Database, actor: Actor, period: DigestPeriod, locale: Locale): Promise<DigestContent | null> {
  const audience = digestAudience(actor);
  if (!audience) return null;
  const scope: CountryScope = audience.kind === 'region' ? countryScope(actor, 'dashboard.viewRegion') : { kind: 'country', countryCode: audience.countryCode };
  const view = audience.kind === 'region' ? 'region-coverage' : 'coverage-institutions';
  const tables = await buildViews([view], { db, scope, filters: {}, now: period.asOf });
  const people = audience.kind === 'country' && can(actor, 'reports.exportPeople', { countryCode: audience.countryCode });
  const [lapsed, pendingSpecialists, unverified] = await Promise.all([
    people ? lapsedIn(db, scope, period) : null,
    countIf(db, countryScope(actor, 'specialist.approve'), audience, sql`u.specialist_status = 'requested' AND u.active = 1`),
    countIf(db, countryScope(actor, 'people.view'), audience, sql`u.email_verified = 0`),
  ]);
  return { audience, period, coverage: compactCoverage(tables[view], locale), lapsed, pendingSpecialists, unverified };
}

async function lapsedIn(db: Database, scope: CountryScope, period: DigestPeriod): Promise<DigestContent['lapsed']> {
  const listed = await refresherPeople(db, scope, {}, { now: period.asOf });
  const inMonth = listed.filter((p) => p.expired && p.validUntil >= period.from && p.validUntil < period.until);
  return { total: inMonth.length, people: inMonth.slice(0, DIGEST_LAPSED_NAMES).map((p) => ({ name: p.name, institution: p.institution, validUntil: p.validUntil })) };
}

/**
 * A count over the people the reader's list for it shows (the specialists page, the people list): the list's own scope,
 * narrowed to the digest's country. Erased accounts are never counted.
 */
async function countIf(db: Database, scope: CountryScope, audience: DigestAudience, condition: ReturnType<typeof sql>): Promise<number | null> {
  if (scope.kind === 'none') return null;
  const country = audience.kind === 'country' ? sql`u.country_code = ${audience.countryCode}` : sql`1 = 1`;
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM users u WHERE u.erased_at IS NULL AND ${scopeWhere(scope, sql`u.country_code`)} AND ${country} AND ${condition}`);
  return Number(row?.n ?? 0);
}

/**
 * The coverage view in a mail's width: the row name, then one column per track reading "holders / target (rate)"
 * (holders alone where there is no target). The tracks are found by the view's own column keys (`<track>.holders`).
 */
export function compactCoverage(table: ViewTable, locale: Locale): ViewTable {
  const keys = table.columns.map((c) => c.key);
  const tracks = keys.filter((k) => k.endsWith('.holders')).map((k) => k.slice(0, -'.holders'.length));
  const at = (suffix: string, track: string) => keys.indexOf(`${track}.${suffix}`);
  const figure = (row: ViewTable['rows'][number], track: string): string => {
    const holders = Number(row[at('holders', track)] ?? 0);
    const target = Number(row[at('target', track)] ?? 0);
    const rate = row[at('rate', track)];
    if (!(target > 0)) return formatNumber(locale, holders, 'count');
    return `${formatNumber(locale, holders, 'count')} / ${formatNumber(locale, target, 'count')}${typeof rate === 'number' ? ` (${formatNumber(locale, rate, 'percent')})` : ''}`;
  };
  const trackName = (track: string): Term => ({ track: track.split('.').pop()! });
  return {
    id: table.id,
    title: table.title,
    columns: [table.columns[0]!, ...tracks.map((t) => ({ key: t, label: trackName(t), kind: 'text' as const }))],
    rows: table.rows.map((row) => [row[0] ?? '', ...tracks.map((t) => figure(row, t))]),
    rowHeader: 0,
    ...(table.sortBy !== undefined ? { sortBy: table.sortBy } : {}),
    ...(table.fixedLast !== undefined ? { fixedLast: table.fixedLast } : {}),
  };
}

/** A view table in the reader's language: the dashboard's own translation (src/app/dashboard.ts localizeTable). */
export type DigestLocalizer = (table: ViewTable, locale: Locale) => Promise<DigestTable>;

export interface DigestOptions {
  /** The public origin links are written with (configuration, never a request), and the unsubscribe secret. */
  origin: string;
  secret: string;
  localize: DigestLocalizer;
}

async function scopeName(db: Database, audience: DigestAudience, locale: Locale): Promise<string> {
  if (audience.kind === 'region') return translate(locale, 'dashboard.report.region');
  return (await listCountries(db, locale)).find((c) => c.code === audience.countryCode)?.name ?? audience.countryCode;
}

interface DigestRecipientRow extends PersonRow {
  role: Role;
  country_code: string | null;
  specialist_status: SpecialistStatus;
}

const actorOf = (row: DigestRecipientRow): Actor => ({ id: Number(row.user_id), role: row.role, countryCode: row.country_code, specialistStatus: row.specialist_status, active: true });

/** The mail of one digest, in the reader's language. */
export async function composeDigest(db: Database, content: DigestContent, row: PersonRow, options: DigestOptions, onDemand: boolean): Promise<OutgoingMessage> {
  const person = recipient(row, options, 'digest');
  const { locale } = person;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);
  const { period, audience } = content;
  const base = `${options.origin}/${locale}`;
  const monthName = new Intl.DateTimeFormat(intlLocale(locale), { month: 'long', year: 'numeric', timeZone: period.timeZone }).format(period.from);
  const tables = [await options.localize(content.coverage, locale)];
  const counts: { label: string; value: number; url: string }[] = [];
  if (content.lapsed) {
    const code = audience.kind === 'country' ? audience.countryCode : '';
    counts.push({ label: t('reminders.digest.lapsed', { month: monthName }), value: content.lapsed.total, url: `${base}/dashboard/country/${code}/refreshers` });
    if (content.lapsed.people.length > 0) {
      tables.push({
        title: t('reminders.digest.lapsedTitle', { shown: content.lapsed.people.length, total: content.lapsed.total }),
        columns: [t('dashboard.col.name'), t('dashboard.col.institution'), t('reminders.digest.lapsedOn')],
        rows: content.lapsed.people.map((p) => [p.name, p.institution, formatDate(locale, p.validUntil, period.timeZone)]),
      });
    }
  }
  if (content.pendingSpecialists !== null) counts.push({ label: t('reminders.digest.pendingSpecialists'), value: content.pendingSpecialists, url: `${base}/admin/specialists` });
  if (content.unverified !== null) counts.push({ label: t('reminders.digest.unverified'), value: content.unverified, url: `${base}/admin/people` });
  return digestMail({
    ...person,
    kind: onDemand ? 'digest_now' : 'digest_monthly',
    month: monthName,
    monthSoFar: period.asOf < period.until,
    asOf: formatDate(locale, period.asOf, period.timeZone),
    scope: await scopeName(db, audience, locale),
    coordinator: audience.kind === 'region',
    tables,
    counts,
    dashboardUrl: `${base}/dashboard`,
  });
}

const RECIPIENT_COLUMNS = sql`u.id AS user_id, u.email, u.name, u.locale, u.role, u.country_code, u.specialist_status, ${timeZoneOf} AS time_zone`;

/**
 * The monthly pass: every committee member and coordinator with a confirmed address who has not turned digests off
 * gets the month that ended in their zone, once. Content is built once per audience, role, month and language.
 */
export async function runDigests(db: Database, options: DigestOptions & { now?: number; batchSize?: number }): Promise<ReminderRunStats> {
  const now = options.now ?? Date.now();
  const stats = emptyStats();
  const rows = await db.all<DigestRecipientRow>(sql`
    SELECT ${RECIPIENT_COLUMNS} FROM users u
     WHERE u.role IN ('committee', 'coordinator') AND ${eligible('digest')}
     ORDER BY u.id`);
  const writer = new BatchWriter(db, options.batchSize ?? 50, now, stats);
  const built = new Map<string, Promise<DigestContent | null>>();
  for (const row of rows) {
    const month = reportedMonth(now, row.time_zone);
    const [done] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reminders_sent WHERE user_id = ${row.user_id} AND kind = ${DIGEST_KIND} AND due_key = ${month}`);
    if (Number(done?.n ?? 0) > 0) continue;
    const actor = actorOf(row);
    const audience = digestAudience(actor);
    if (!audience) continue;
    const locale: Locale = row.locale === 'en' ? 'en' : 'es';
    const key = `${row.role}|${audience.kind === 'region' ? 'region' : audience.countryCode}|${month}|${row.time_zone}|${locale}`;
    let content = built.get(key);
    if (!content) built.set(key, (content = buildDigest(db, actor, monthPeriod(month, row.time_zone, now), locale)));
    const ready = await content;
    if (!ready) continue;
    await writer.add({ userId: Number(row.user_id), kind: DIGEST_KIND, dueKey: month, message: await composeDigest(db, ready, row, options, false) });
  }
  await writer.flush();
  return stats;
}

async function readerRow(db: Database, actor: Actor): Promise<DigestRecipientRow> {
  const [row] = await db.all<DigestRecipientRow>(sql`SELECT ${RECIPIENT_COLUMNS} FROM users u WHERE u.id = ${actor.id} AND u.active = 1 AND u.erased_at IS NULL`);
  if (!row) throw forbidden();
  return row;
}

/** The digest of the month so far, as the signed-in reader would get it now (the dashboard's preview). */
export async function previewDigest(db: Database, actor: Actor, options: DigestOptions & { now?: number }): Promise<OutgoingMessage> {
  const now = options.now ?? Date.now();
  const row = await readerRow(db, actor);
  const content = await buildDigest(db, actor, monthPeriod(localMonth(now, row.time_zone), row.time_zone, now), row.locale === 'en' ? 'en' : 'es');
  if (!content) throw forbidden();
  return composeDigest(db, content, row, options, true);
}

/**
 * "Send me this digest now": the month so far, to the reader's own address, whatever their digest preference (they
 * asked for it). At most once per DIGEST_NOW_GAP_MS: the window's number is the due key, so two clicks at once (or on
 * two nodes) queue one mail, and a recent send refuses the next with tooMany.
 */
export async function sendDigestNow(db: Database, actor: Actor, options: Omit<DigestOptions, 'secret'> & { secret: string | null; now?: number }): Promise<void> {
  const { secret } = options;
  // No UNSUBSCRIBE_SECRET, no reminders: a digest's unsubscribe link could not be signed.
  if (!secret) throw new DomainError('unavailable', 'reminders.digest.unavailable');
  const now = options.now ?? Date.now();
  const message = await previewDigest(db, actor, { ...options, secret, now });
  const [recent] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reminders_sent WHERE user_id = ${actor.id} AND kind = ${DIGEST_NOW_KIND} AND sent_at > ${now - DIGEST_NOW_GAP_MS}`);
  if (Number(recent?.n ?? 0) > 0) throw new DomainError('tooMany', 'reminders.digest.tooSoon');
  const stats = emptyStats();
  const writer = new BatchWriter(db, 1, now, stats);
  await writer.add({ userId: actor.id, kind: DIGEST_NOW_KIND, dueKey: String(Math.floor(now / DIGEST_NOW_GAP_MS)), message });
  if (stats.queued === 0) throw new DomainError('tooMany', 'reminders.digest.tooSoon');
}
