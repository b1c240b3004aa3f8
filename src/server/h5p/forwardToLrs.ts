// Sends stored statements to an external LRS (xAPI 1.0.3 "PUT /statements?statementId=…"), from the queue table, so
// a slow or absent LRS never makes a learner wait. Failed sends are retried with exponential back-off.
import { asc, eq, lte } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { xapiForwardQueue, xapiStatements } from '../../../db/schema.ts';
import { XAPI_VERSION } from './xapiStatement.ts';

export interface LrsConfig {
  /** The LRS's xAPI base, e.g. https://lrs.example/xapi (the statements resource is added). */
  endpoint: string;
  username: string;
  password: string;
}

export interface ForwardOptions {
  fetch?: typeof fetch;
  now?: number;
  batchSize?: number;
  timeoutMs?: number;
}

export interface ForwardReport {
  sent: number;
  failed: number;
}

const MINUTE = 60_000;
const MAX_BACKOFF = 6 * 60 * MINUTE;

/** When to try again after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours. */
export function nextAttemptDelay(attempts: number): number {
  return Math.min(MINUTE * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF);
}

/** The LRS settings from the environment, or null when forwarding is not configured. */
export function lrsConfigFrom(env: Record<string, string | undefined>): LrsConfig | null {
  const endpoint = env.XAPI_LRS_ENDPOINT?.trim();
  const username = env.XAPI_LRS_USERNAME ?? '';
  const password = env.XAPI_LRS_PASSWORD ?? '';
  if (!endpoint || !username || !password) return null;
  return { endpoint, username, password };
}

/** Sends the statements that are due; each success leaves the queue, each failure is rescheduled. */
export async function forwardPendingStatements(db: Database, lrs: LrsConfig, options: ForwardOptions = {}): Promise<ForwardReport> {
  const { fetch: send = fetch, now = Date.now(), batchSize = 50, timeoutMs = 10_000 } = options;
  const due = await db
    .select({ statementId: xapiForwardQueue.statementId, attempts: xapiForwardQueue.attempts, statement: xapiStatements.statement })
    .from(xapiForwardQueue)
    .innerJoin(xapiStatements, eq(xapiStatements.id, xapiForwardQueue.statementId))
    .where(lte(xapiForwardQueue.nextAttemptAt, new Date(now)))
    .orderBy(asc(xapiForwardQueue.nextAttemptAt))
    .limit(batchSize);
  const report: ForwardReport = { sent: 0, failed: 0 };
  const authorization = `Basic ${Buffer.from(`${lrs.username}:${lrs.password}`).toString('base64')}`;
  const base = lrs.endpoint.replace(/\/+$/, '');
  for (const row of due) {
    let error: string | null = null;
    try {
      const response = await send(`${base}/statements?statementId=${encodeURIComponent(row.statementId)}`, {
        method: 'PUT',
        headers: { Authorization: authorization, 'Content-Type': 'application/json', 'X-Experience-API-Version': XAPI_VERSION },
        body: JSON.stringify(row.statement),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // 204: stored; 409: the LRS already has this id (an earlier try got through): both mean done.
      if (!(response.ok || response.status === 409)) error = `HTTP ${response.status}`;
    } catch (caught) {
      error = (caught as Error).message || 'network error';
    }
    if (error === null) {
      await db.delete(xapiForwardQueue).where(eq(xapiForwardQueue.statementId, row.statementId));
      report.sent += 1;
    } else {
      const attempts = row.attempts + 1;
      await db
        .update(xapiForwardQueue)
        .set({ attempts, lastError: error.slice(0, 500), nextAttemptAt: new Date(now + nextAttemptDelay(attempts)) })
        .where(eq(xapiForwardQueue.statementId, row.statementId));
      report.failed += 1;
    }
  }
  return report;
}
