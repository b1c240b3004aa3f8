// Completions per month and track (last 24 months, or the period).
import { completionsPerMonth } from '../funnel.ts';
import { formatMonth } from '../scope.ts';
import { message, col, type View } from './context.ts';

export const completions: View = {
  async build(ctx) {
    const data = await completionsPerMonth(ctx.db, ctx.scope, ctx.filters, { now: ctx.now, by: 'track' });
    return {
      id: 'completions',
      title: message('dashboard.completions.title'),
      columns: [col('month', message('dashboard.col.month'), 'text'), ...data.series.map((s) => col(s.key, { track: s.key }))],
      rows: data.months.map((m, i) => [formatMonth(m), ...data.series.map((s) => s.values[i]!)]),
      rowHeader: 0,
      ...(ctx.filters.mode ? { note: message('dashboard.mode.notSplit') } : {}),
    };
  },
};
