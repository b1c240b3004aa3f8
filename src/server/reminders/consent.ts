// Which reminders a person receives, and the signed link that turns one kind off without signing in. The signature
// (HMAC-SHA-256 over person and kind, with the deployment's UNSUBSCRIBE_SECRET) is all the link needs: it can only
// ever switch a reminder off, so it does not expire and is not a secret worth redacting from the outbox.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { REMINDER_KINDS, reminderOptOuts, type Locale, type ReminderKind } from '../../../db/schema.ts';

export function isReminderKind(value: unknown): value is ReminderKind {
  return typeof value === 'string' && (REMINDER_KINDS as readonly string[]).includes(value);
}

function signature(secret: string, userId: number, kind: ReminderKind): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url');
}

/** The unsubscribe link of a reminder, on the configured public origin (never a request's). */
export function unsubscribeUrl(origin: string, secret: string, locale: Locale, userId: number, kind: ReminderKind): string {
  const params = new URLSearchParams({ u: String(userId), k: kind, s: signature(secret, userId, kind) });
  return `${origin}/${locale}/unsubscribe?${params}`;
}

export interface UnsubscribeRequest {
  userId: number;
  kind: ReminderKind;
}

/** The person and kind a link names, when its signature is right; null for anything else. */
export function verifyUnsubscribe(secret: string, params: { u?: string | null; k?: string | null; s?: string | null }): UnsubscribeRequest | null {
  const userId = Number(params.u);
  if (!Number.isSafeInteger(userId) || userId <= 0 || !isReminderKind(params.k) || typeof params.s !== 'string') return null;
  const expected = Buffer.from(signature(secret, userId, params.k));
  const given = Buffer.from(params.s);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, kind: params.k };
}

/** Turns one kind off (repeating it changes nothing). */
export async function optOut(db: Pick<Database, 'insert'>, userId: number, kind: ReminderKind, now = Date.now()): Promise<void> {
  await db.insert(reminderOptOuts).values({ userId, kind, at: new Date(now) }).onConflictDoNothing();
}

/** The kinds a person has turned off. */
export async function optedOutKinds(db: Pick<Database, 'select'>, userId: number): Promise<Set<ReminderKind>> {
  const rows = await db.select({ kind: reminderOptOuts.kind }).from(reminderOptOuts).where(eq(reminderOptOuts.userId, userId));
  return new Set(rows.map((r) => r.kind));
}

/** The account page's form: of the kinds it `offered`, exactly those in `enabled` stay on and the others are turned off. */
export async function setReminderPreferences(db: Database, userId: number, enabled: readonly ReminderKind[], now = Date.now(), offered: readonly ReminderKind[] = REMINDER_KINDS): Promise<void> {
  const off = offered.filter((k) => !enabled.includes(k));
  await writeTransaction(db, async (tx) => {
    if (enabled.length > 0) await tx.delete(reminderOptOuts).where(and(eq(reminderOptOuts.userId, userId), inArray(reminderOptOuts.kind, [...enabled])));
    for (const kind of off) await optOut(tx, userId, kind, now);
  });
}
