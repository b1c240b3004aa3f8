// Progress a learner made without a connection (lesson done, knowledge-check answers, activity results), queued by
// the service worker (public/sw.js), and a facilitator's attendance marks, queued by the tick list's page itself
// (src/components/offline/attendance-queue.ts), sent here when the connection returns. Each item carries an id the browser
// generated; the first answer for (learner, id) is kept in offline_sync_receipts, so an item sent twice — a response
// lost on the way back, two tabs syncing at once — is applied once and answered the same way again.
// What applying an item means is the caller's (src/app/offline-sync.ts): the same domain functions as the Actions.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'astro/zod';
import type { Database } from '../../../db/client.ts';
import { offlineSyncReceipts } from '../../../db/schema.ts';
import { xapiReportSchema } from '../h5p/xapiStatement.ts';
import type { MessageKey } from '../../i18n/index.ts';

/** Items per request: a day of offline reading stays far below it; the worker sends the rest in the next request. */
export const MAX_ITEMS_PER_SYNC = 50;

/** The form Actions whose posts the worker may queue; anything else needs a connection (the final quiz above all). */
export const QUEUEABLE_ACTIONS = ['learning.markDone', 'learning.practice', 'activities.answer'] as const;
export type QueueableAction = (typeof QUEUEABLE_ACTIONS)[number];

const clientId = z.string().regex(/^[A-Za-z0-9-]{16,64}$/);
const lang = z.enum(['es', 'en']);
const queuedAt = z.number().int().nonnegative();

export const offlineItemSchema = z.discriminatedUnion('kind', [
  z.object({
    id: clientId,
    kind: z.literal('form'),
    action: z.enum(QUEUEABLE_ACTIONS),
    lang,
    queuedAt,
    fields: z.array(z.tuple([z.string().max(100), z.string().max(2000)])).max(200),
  }),
  z.object({ id: clientId, kind: z.literal('xapi'), lang, queuedAt, report: xapiReportSchema }),
  // A facilitator's attendance mark made without a connection (src/components/offline/attendance-queue.ts): one
  // person, one day. Applied through the workshops domain, authorised per mark by workshop.manage (not learning.take).
  z.object({ id: clientId, kind: z.literal('attendance'), lang, queuedAt, session: z.number().int().positive(), person: z.number().int().positive(), present: z.boolean() }),
]);
export type OfflineItem = z.infer<typeof offlineItemSchema>;

/** The request: whose items the worker believes they are, and the items, each checked on its own. */
export const offlineSyncRequestSchema = z.object({
  learner: z.number().int().positive(),
  items: z.array(z.unknown()).min(1).max(MAX_ITEMS_PER_SYNC),
});

export type ItemOutcome = { outcome: 'applied'; result?: Record<string, unknown> } | { outcome: 'rejected'; reason: MessageKey };

export interface SyncAnswer {
  /** The browser's id; null when the item was too malformed to have one (the worker drops those). */
  id: string | null;
  outcome: 'applied' | 'rejected';
  reason?: MessageKey;
  result?: Record<string, unknown>;
  /** The item had been received before: this is the first answer, not a second application. */
  repeated: boolean;
}

/** Applies one valid, not yet received item. `statementId` is the id any xAPI statement it records must use. */
export type ApplyOfflineItem = (item: OfflineItem, statementId: string) => Promise<ItemOutcome>;

type ReceiptKind = (typeof offlineSyncReceipts.$inferInsert)['kind'];

export function receiptKind(item: OfflineItem): ReceiptKind {
  if (item.kind === 'xapi' || item.kind === 'attendance') return item.kind;
  return item.action === 'learning.markDone' ? 'lessonDone' : item.action === 'learning.practice' ? 'practice' : 'activityAnswer';
}

/**
 * The statement id for an item: derived from learner and client id, so two deliveries of one item collide on the
 * statements' primary key even when they race past the receipt check; and one learner cannot pick another's id.
 */
export function statementIdFor(userId: number, id: string): string {
  const hex = createHash('sha256').update(`offline:${userId}:${id}`).digest('hex');
  // RFC 9562 layout, version 8 (custom), variant 10.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Checks one queued item; the reason says why it can never be applied. */
export function parseOfflineItem(raw: unknown): { ok: true; item: OfflineItem } | { ok: false; id: string | null } {
  const parsed = offlineItemSchema.safeParse(raw);
  if (parsed.success) return { ok: true, item: parsed.data };
  const id = clientId.safeParse((raw as { id?: unknown } | null)?.id);
  return { ok: false, id: id.success ? id.data : null };
}

/**
 * Applies the items in order (a lesson done offline after its activity needs the activity first) and answers each.
 * An item already received gets its first answer again; a malformed one is rejected; an unexpected failure (a busy
 * database) propagates, leaving that item and the rest unreceived, so the worker sends them again later.
 */
export async function syncOfflineItems(db: Database, userId: number, rawItems: readonly unknown[], apply: ApplyOfflineItem, now = Date.now()): Promise<SyncAnswer[]> {
  const answers: SyncAnswer[] = [];
  for (const raw of rawItems) {
    const parsed = parseOfflineItem(raw);
    if (!parsed.ok) {
      answers.push({ id: parsed.id, outcome: 'rejected', reason: 'offline.sync.invalidItem', repeated: false });
      continue;
    }
    const { item } = parsed;
    const earlier = await findReceipt(db, userId, item.id);
    if (earlier) {
      answers.push({ ...earlier, repeated: true });
      continue;
    }
    const outcome = await apply(item, statementIdFor(userId, item.id));
    const answer: SyncAnswer =
      outcome.outcome === 'applied'
        ? { id: item.id, outcome: 'applied', ...(outcome.result ? { result: outcome.result } : {}), repeated: false }
        : { id: item.id, outcome: 'rejected', reason: outcome.reason, repeated: false };
    const inserted = await db
      .insert(offlineSyncReceipts)
      .values({
        userId,
        clientId: item.id,
        kind: receiptKind(item),
        outcome: answer.outcome,
        reason: answer.reason ?? null,
        result: answer.result ? JSON.stringify(answer.result) : null,
        receivedAt: new Date(now),
      })
      .onConflictDoNothing()
      .returning({ id: offlineSyncReceipts.clientId });
    // Another delivery of the same item got there first: its answer is the one that stands.
    if (inserted.length === 0) {
      const first = await findReceipt(db, userId, item.id);
      if (first) {
        answers.push({ ...first, repeated: true });
        continue;
      }
    }
    answers.push(answer);
  }
  return answers;
}

async function findReceipt(db: Database, userId: number, id: string): Promise<Omit<SyncAnswer, 'repeated'> | null> {
  const [row] = await db
    .select()
    .from(offlineSyncReceipts)
    .where(and(eq(offlineSyncReceipts.userId, userId), eq(offlineSyncReceipts.clientId, id)));
  if (!row) return null;
  return {
    id: row.clientId,
    outcome: row.outcome,
    ...(row.reason ? { reason: row.reason as MessageKey } : {}),
    ...(row.result ? { result: JSON.parse(row.result) as Record<string, unknown> } : {}),
  };
}

/** Whether a failed insert is the statements' primary key refusing a second delivery of the same item. */
export function isDuplicateStatement(error: unknown): boolean {
  const text = `${String(error)} ${String((error as { cause?: unknown } | null)?.cause)}`;
  return text.includes('UNIQUE') || text.includes('PRIMARYKEY');
}
