import type { Database } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  countryCode?: string | null;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
}

type Executor = Pick<Database, 'insert'>;

/** Appends one row to the audit log; pass the transaction so the row commits with the change it describes. */
export async function recordAudit(db: Executor, entry: AuditEntry, now = Date.now()): Promise<void> {
  await db.insert(auditLog).values({
    at: new Date(now),
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    countryCode: entry.countryCode ?? null,
    ip: entry.ip ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
