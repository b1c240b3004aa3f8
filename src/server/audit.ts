import type { Database, Executor } from '../../db/client.ts';
import { and, desc, eq, gte, like, lt, lte, type SQL } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema.ts';
import { countryScope, type Actor } from './policy.ts';
import { forbidden } from './errors.ts';

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


/** The audit row as column → value, for bulk code that writes plain SQL in its own transaction (bulk import). */
export function auditValues(entry: AuditEntry, now = Date.now()): Record<string, string | number | null> {
  return {
    at: now,
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId === undefined ? null : String(entry.targetId),
    country_code: entry.countryCode ?? null,
    ip: entry.ip ?? null,
    before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
  };
}

/** Appends one row to the audit log; pass the transaction so the row commits with the change it describes. */
export async function recordAudit(db: Pick<Executor, 'insert'>, entry: AuditEntry, now = Date.now()): Promise<void> {
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

// Reading the log: coordinators and administrators, filtered, newest first, paged by id; exported as CSV.

export interface AuditFilter {
  action?: string | null;
  actorEmail?: string | null;
  countryCode?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
  beforeId?: number | null;
  limit?: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  countryCode: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
}

function auditWhere(actor: Actor, filter: AuditFilter): SQL | undefined {
  const scope = countryScope(actor, 'audit.view');
  if (scope.kind === 'none') throw forbidden();
  const where: (SQL | undefined)[] = [];
  const country = scope.kind === 'country' ? scope.countryCode : filter.countryCode || null;
  if (country) where.push(eq(auditLog.countryCode, country));
  if (filter.action) where.push(like(auditLog.action, `${filter.action.replace(/[%_]/g, '')}%`));
  if (filter.actorEmail) where.push(eq(users.emailKey, filter.actorEmail.trim().toLowerCase()));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId.trim()));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lte(auditLog.at, filter.to));
  if (filter.beforeId) where.push(lt(auditLog.id, filter.beforeId));
  return and(...where);
}

const auditColumns = {
  id: auditLog.id,
  at: auditLog.at,
  actorId: auditLog.actorId,
  actorEmail: users.email,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  countryCode: auditLog.countryCode,
  ip: auditLog.ip,
  before: auditLog.before,
  after: auditLog.after,
};

export async function listAudit(db: Database, actor: Actor, filter: AuditFilter = {}): Promise<{ rows: AuditRow[]; nextBeforeId: number | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = await db
    .select(auditColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(auditWhere(actor, filter))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  // A cell starting with = + - @ would be a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The filtered log as CSV, in pages of 5 000 rows, so a large export streams instead of filling memory. */
export async function* auditCsv(db: Database, actor: Actor, filter: AuditFilter = {}): AsyncGenerator<string> {
  yield '\uFEFFid,at,actor_id,actor_email,action,target_type,target_id,country,ip,before,after\n';
  let beforeId = filter.beforeId ?? null;
  for (;;) {
    const { rows, nextBeforeId } = await listAudit(db, actor, { ...filter, beforeId, limit: 500 });
    yield rows.map((r) => [r.id, r.at, r.actorId, r.actorEmail, r.action, r.targetType, r.targetId, r.countryCode, r.ip, r.before, r.after].map(csvCell).join(',') + '\n').join('');
    if (!nextBeforeId) return;
    beforeId = nextBeforeId;
  }
}
