// A committee's reminder to the people its refresher list shows (policy 'people.message', own country only):
// preview (how many, the message), then send with the count the committee confirmed. The recipients are exactly the
// list's rows (refresherPeople, same filters) less anyone who turned committee messages off, has no confirmed address,
// or got one in the last week. Each send is recorded in reminders_sent (kind committee_message, one a day per person)
// in the transactions that queue the mail, and audited with the first of them.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { DomainError, forbidden } from '../errors.ts';
import { recordAudit } from '../audit.ts';
import { getNationalBody } from '../directory.ts';
import { can, type Actor } from '../policy.ts';
import { refresherPeople } from '../reports/refreshers.ts';
import type { ReportFilters } from '../reports/scope.ts';
import type { OutgoingMessage } from '../mail/outbox.ts';
import { committeeReminderMail } from './messages.ts';
import { BatchWriter, eligible, emptyStats, recipient, timeZoneOf, type PersonRow } from './scheduler.ts';

export const COMMITTEE_MESSAGE_KIND = 'committee_message';
/** A person gets at most one committee message in this many days, however many lists they appear on. */
export const COMMITTEE_MESSAGE_GAP_DAYS = 7;
/** Sends per country in 24 hours. */
export const COMMITTEE_SENDS_PER_DAY = 5;
const DAY = 86_400_000;

export interface CommitteeMessageInput {
  countryCode: string;
  filters: ReportFilters;
  /**
   * The public origin links are written with, the signing secret, the Actualización course. Without a secret (no
   * UNSUBSCRIBE_SECRET) or that course there are no committee messages: the links could not be written.
   */
  origin: string;
  secret: string | null;
  refresherCourseId: string | null;
  now?: number;
}

export interface CommitteePreview {
  /** Rows of the list. */
  listed: number;
  /** People who would get the message. */
  recipients: number;
  /** Left out: committee messages turned off, address not confirmed, or one received lately. */
  skipped: number;
  /** The message as the first recipient would get it. */
  sample: OutgoingMessage | null;
}

interface Planned {
  listed: number;
  messages: { userId: number; message: OutgoingMessage }[];
}

async function plan(db: Database, actor: Actor, input: CommitteeMessageInput): Promise<Planned> {
  const countryCode = input.countryCode.toUpperCase();
  if (!can(actor, 'people.message', { countryCode })) throw forbidden();
  const { origin, secret, refresherCourseId } = input;
  if (!secret || !refresherCourseId) throw new DomainError('unavailable', 'reminders.committee.unavailable');
  const now = input.now ?? Date.now();
  const listed = await refresherPeople(db, { kind: 'country', countryCode }, input.filters, { now });
  if (listed.length === 0) return { listed: 0, messages: [] };
  const body = await getNationalBody(db, countryCode);
  const ids = new Map(listed.map((p) => [p.userId, p]));
  const since = now - COMMITTEE_MESSAGE_GAP_DAYS * DAY;
  const people: PersonRow[] = [];
  const all = [...ids.keys()];
  for (let i = 0; i < all.length; i += 500) {
    const chunk = sql.join(all.slice(i, i + 500).map((id) => sql`${id}`), sql`, `);
    people.push(
      ...(await db.all<PersonRow>(sql`
        SELECT u.id AS user_id, u.email, u.name, u.locale, ${timeZoneOf} AS time_zone FROM users u
         WHERE u.id IN (${chunk}) AND u.country_code = ${countryCode} AND ${eligible('committee')}
           AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.user_id = u.id AND r.kind = ${COMMITTEE_MESSAGE_KIND} AND r.sent_at > ${since})
         ORDER BY u.id`)),
    );
  }
  const messages = people.map((row) => {
    const person = recipient(row, { origin, secret }, 'committee');
    const listedRow = ids.get(Number(row.user_id))!;
    const committee = body ? (person.locale === 'es' ? body.nameEs : body.nameEn) : countryCode;
    return {
      userId: Number(row.user_id),
      message: committeeReminderMail({ ...person, committee, validUntil: listedRow.validUntil, expired: listedRow.expired, url: `${origin}/${person.locale}/courses/${refresherCourseId}` }),
    };
  });
  return { listed: listed.length, messages };
}

export async function previewCommitteeMessage(db: Database, actor: Actor, input: CommitteeMessageInput): Promise<CommitteePreview> {
  const { listed, messages } = await plan(db, actor, input);
  return { listed, recipients: messages.length, skipped: listed - messages.length, sample: messages[0]?.message ?? null };
}

/**
 * Sends when `confirmedCount` is still the number the preview showed (else the list changed: conflict, preview
 * again). Throttled per country; returns how many were queued.
 */
export async function sendCommitteeMessage(db: Database, actor: Actor, input: CommitteeMessageInput & { confirmedCount: number; ip?: string | null }): Promise<{ queued: number }> {
  const now = input.now ?? Date.now();
  const countryCode = input.countryCode.toUpperCase();
  const { listed, messages } = await plan(db, actor, { ...input, now });
  if (messages.length === 0) throw new DomainError('invalid', 'reminders.committee.nobody');
  if (messages.length !== input.confirmedCount) throw new DomainError('conflict', 'reminders.committee.changed');
  const [recent] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'people.message' AND country_code = ${countryCode} AND at > ${now - DAY}`);
  if (Number(recent?.n ?? 0) >= COMMITTEE_SENDS_PER_DAY) throw new DomainError('tooMany', 'reminders.committee.throttled');
  const stats = emptyStats();
  const dueKey = new Date(now).toISOString().slice(0, 10);
  const audit = (tx: Parameters<typeof recordAudit>[0]) =>
    recordAudit(tx, { actorId: actor.id, action: 'people.message', targetType: 'refresher_list', countryCode, ip: input.ip ?? null, after: { listed, recipients: messages.length, filters: input.filters, template: 'committee_reminder' } }, now);
  const writer = new BatchWriter(db, 100, now, stats, audit);
  for (const m of messages) await writer.add({ userId: m.userId, kind: COMMITTEE_MESSAGE_KIND, dueKey, message: m.message });
  await writer.flush();
  return { queued: stats.queued };
}
