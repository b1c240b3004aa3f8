// What every dashboard view is built from, and the small helpers views share. A view is one file exporting
// `build(ctx) → ViewTable`; the registry (index.ts) runs the ones a page needs at the same time.
import type { Database } from '../../../../db/client.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import type { AggregateQuery } from '../aggregate.ts';
import type { CountryScope, ReportFilters } from '../scope.ts';
import type { ReportColumn, Term, ViewTable } from '../table.ts';

export interface ViewContext {
  db: Database;
  scope: CountryScope;
  /** Full filters (committee, coordination). Ignored by aggregate-only views, which read `aggregate`. */
  filters: ReportFilters;
  now: number;
  /**
   * Set for aggregate-only readers (observers): one closed semester and at most a track, nothing else — the figures
   * come from protected cubes (src/server/reports/aggregate.ts), never from `filters`.
   */
  aggregate?: AggregateQuery;
  /** The course of the item analysis views. */
  courseId?: string;
  /** The topic of a quiz question (from the quiz bank; content, not language). */
  topicOf?: (questionId: string) => string | undefined;
  /** Fetches several views of one request share (coverage feeds three tables), computed once. */
  shared: Map<string, Promise<unknown>>;
}

export interface View {
  build: (ctx: ViewContext) => Promise<ViewTable>;
}

/** A fetch shared by the views of one request. */
export function once<T>(ctx: ViewContext, key: string, fetch: () => Promise<T>): Promise<T> {
  let p = ctx.shared.get(key) as Promise<T> | undefined;
  if (!p) ctx.shared.set(key, (p = fetch()));
  return p;
}

export const message = (key: MessageKey, params?: Record<string, string | number | Term>): Term => ({ message: key, ...(params ? { params } : {}) });

/** "Básico · Con certificado" */
export const trackLabel = (track: string, key: MessageKey): Term => ({ join: [{ track }, message(key)] });

export const col = (key: string, label: Term, kind: ReportColumn['kind'] = 'count', dependsOn?: string | string[]): ReportColumn<Term> => ({
  key,
  label,
  kind,
  ...(dependsOn ? { dependsOn } : {}),
});

/** The first instant after the month yyyymm (coverage "at the end of the period"). */
export function endOfPeriod(month: number): number {
  const y = Math.floor(month / 100);
  const m = month % 100;
  return Date.UTC(y, m, 1);
}
