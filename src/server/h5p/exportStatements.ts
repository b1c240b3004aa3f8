// Statements for a coordinator's download, filtered by country, course and date. The caller takes the country scope
// from the policy module; this module only applies it.
import { and, asc, eq, gt, gte, lt, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { xapiStatements } from '../../../db/schema.ts';
import type { CountryScope } from '../policy.ts';
import type { XapiStatement } from './xapiStatement.ts';

export interface StatementFilter {
  scope: CountryScope;
  countryCode?: string;
  courseId?: string;
  /** Inclusive lower bound on the stored time. */
  from?: Date;
  /** Exclusive upper bound on the stored time. */
  to?: Date;
}

interface Cursor {
  storedAt: Date;
  id: string;
}

/** One page of statements in stored order, and the cursor to the next page (null at the end). */
export async function listStatementsForExport(
  db: Database,
  filter: StatementFilter,
  { after, limit = 1000 }: { after?: Cursor | null; limit?: number } = {},
): Promise<{ statements: XapiStatement[]; next: Cursor | null }> {
  const conditions: SQL[] = [];
  if (filter.scope.kind === 'none') return { statements: [], next: null };
  if (filter.scope.kind === 'country') conditions.push(eq(xapiStatements.countryCode, filter.scope.countryCode));
  if (filter.countryCode) conditions.push(eq(xapiStatements.countryCode, filter.countryCode));
  if (filter.courseId) conditions.push(eq(xapiStatements.courseId, filter.courseId));
  if (filter.from) conditions.push(gte(xapiStatements.storedAt, filter.from));
  if (filter.to) conditions.push(lt(xapiStatements.storedAt, filter.to));
  if (after) {
    conditions.push(or(gt(xapiStatements.storedAt, after.storedAt), and(eq(xapiStatements.storedAt, after.storedAt), gt(xapiStatements.id, after.id)))!);
  }
  const rows = await db
    .select({ id: xapiStatements.id, storedAt: xapiStatements.storedAt, statement: xapiStatements.statement })
    .from(xapiStatements)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(xapiStatements.storedAt), asc(xapiStatements.id))
    .limit(limit);
  const last = rows.at(-1);
  return {
    statements: rows.map((row) => row.statement as XapiStatement),
    next: rows.length === limit && last ? { storedAt: last.storedAt, id: last.id } : null,
  };
}

/** The whole export as a stream of one JSON array, read page by page so memory stays flat however many rows match. */
export function streamStatementsAsJson(db: Database, filter: StatementFilter, pageSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | null | undefined;
  let first = true;
  return new ReadableStream({
    async pull(controller) {
      if (cursor === null) return;
      const page = await listStatementsForExport(db, filter, { after: cursor, limit: pageSize });
      let chunk = first ? '[' : '';
      for (const statement of page.statements) {
        chunk += (first ? '\n' : ',\n') + JSON.stringify(statement);
        first = false;
      }
      cursor = page.next;
      if (cursor === null) {
        chunk += first ? ']\n' : '\n]\n';
        controller.enqueue(encoder.encode(chunk));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}
