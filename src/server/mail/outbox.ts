// The mail queue. Nothing sends e-mail inline: callers enqueue (inside their transaction, so a message exists only if
// the change it announces committed) and the worker delivers. Rows are claimed with one UPDATE … RETURNING, which is
// atomic in SQLite/libSQL: two app nodes polling at once never claim the same row.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { mailOutbox, type Locale } from '../../../db/schema.ts';
import { redactSecretLinks } from './redact.ts';

export type OutboxRow = typeof mailOutbox.$inferSelect;

export interface OutgoingMessage {
  kind: string;
  to: string;
  toName?: string | null;
  locale: Locale;
  subject: string;
  /** The plain text; the HTML part is built from it at delivery (templates.ts htmlFromText). */
  text: string;
  /** Reminders only: the signed unsubscribe URL, sent as List-Unsubscribe with one-click (src/server/reminders/consent.ts). */
  listUnsubscribe?: string | null;
}


export async function enqueueMail(db: Pick<Executor, 'insert'>, message: OutgoingMessage, now = Date.now()): Promise<void> {
  await enqueueMany(db, [message], now);
}

/** Many messages in multi-row inserts (a 10 000-person import queues 10 000 invitations in a few statements). */
export async function enqueueMany(db: Pick<Executor, 'insert'>, messages: OutgoingMessage[], now = Date.now()): Promise<void> {
  const rows = messages.map((m) => ({
    kind: m.kind,
    toAddress: m.to,
    toName: m.toName ?? null,
    locale: m.locale,
    subject: m.subject,
    text: m.text,
    listUnsubscribe: m.listUnsubscribe ?? null,
    status: 'queued' as const,
    nextAttemptAt: new Date(now),
    createdAt: new Date(now),
  }));
  // 11 columns per row; stay well under SQLite's 32 766 parameters per statement.
  for (let i = 0; i < rows.length; i += 2_000) await db.insert(mailOutbox).values(rows.slice(i, i + 2_000));
}

/** How long a claimed message stays locked before another worker may take it over (a crashed node). */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;
export const MAX_ATTEMPTS = 8;

/** Claims up to `limit` due messages for this worker. */
export async function claimDueMessages(db: Database, limit = 20, now = Date.now()): Promise<OutboxRow[]> {
  const result = await db.$client.execute({
    sql: `UPDATE mail_outbox SET status = 'sending', locked_until = ?, attempts = attempts + 1
          WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE (status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND locked_until < ?)
            ORDER BY next_attempt_at LIMIT ?)
          RETURNING id`,
    args: [now + CLAIM_LEASE_MS, now, now, limit],
  });
  const ids = result.rows.map((r) => Number(r.id));
  if (ids.length === 0) return [];
  return db.select().from(mailOutbox).where(inArray(mailOutbox.id, ids)).orderBy(mailOutbox.id);
}

/** Sent: the stored text loses the secrets of its links (redact.ts); one atomic batch for the round. */
export async function markSent(db: Database, messages: Pick<OutboxRow, 'id' | 'text'>[], now = Date.now()): Promise<void> {
  if (messages.length === 0) return;
  const [first, ...rest] = messages.map((m) =>
    db.update(mailOutbox).set({ status: 'sent', sentAt: new Date(now), lockedUntil: null, lastError: null, text: redactSecretLinks(m.text) }).where(eq(mailOutbox.id, m.id)),
  );
  await db.batch([first!, ...rest]);
}

/** No SMTP server configured: the messages stay in the outbox for administrators to read. */
export async function markHeld(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(mailOutbox).set({ status: 'held', lockedUntil: null }).where(inArray(mailOutbox.id, ids));
}

/** Delay before the next attempt: 10 s, 40 s, 2.7 min, … capped at 6 h. */
export function retryDelay(attempts: number): number {
  return Math.min(10_000 * 4 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

/** A failed attempt: retried later, or given up after MAX_ATTEMPTS (then, like a sent one, without its secrets). */
export async function markFailed(db: Database, row: Pick<OutboxRow, 'id' | 'attempts' | 'text'>, error: string, now = Date.now()): Promise<void> {
  const giveUp = row.attempts >= MAX_ATTEMPTS;
  await db
    .update(mailOutbox)
    .set({
      status: giveUp ? 'failed' : 'queued',
      nextAttemptAt: new Date(now + retryDelay(row.attempts)),
      lockedUntil: null,
      lastError: error.slice(0, 500),
      ...(giveUp ? { text: redactSecretLinks(row.text) } : {}),
    })
    .where(eq(mailOutbox.id, row.id));
}

export interface OutboxFilter {
  to?: string;
  status?: OutboxRow['status'];
  beforeId?: number;
  limit?: number;
}

export async function listOutbox(db: Database, { to, status, beforeId, limit = 50 }: OutboxFilter = {}): Promise<OutboxRow[]> {
  const where = [];
  if (to) where.push(sql`${mailOutbox.toAddress} LIKE ${'%' + to.trim().toLowerCase() + '%'}`);
  if (status) where.push(eq(mailOutbox.status, status));
  if (beforeId) where.push(lt(mailOutbox.id, beforeId));
  return db.select().from(mailOutbox).where(and(...where)).orderBy(desc(mailOutbox.id)).limit(limit);
}

export async function getOutboxMessage(db: Database, id: number): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}
