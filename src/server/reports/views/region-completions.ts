// Completions per country: per month for the coordination; per track in one closed semester, protected, for observers.
import { PROGRAMMES } from '../../../../db/schema.ts';
import { ALL, completionsCube, cubeCell, REGION } from '../aggregate.ts';
import { completionsPerMonth } from '../funnel.ts';
import { formatMonth } from '../scope.ts';
import { message, col, type View } from './context.ts';

export const regionCompletions: View = {
  async build(ctx) {
    const base = { id: 'region-completions', title: message('dashboard.region.completions'), rowHeader: 0 };
    if (ctx.aggregate) {
      const cube = await completionsCube(ctx.db, ctx.scope, ctx.aggregate.semester);
      const keys: string[] = ctx.aggregate.programme ? [ctx.aggregate.programme] : [...PROGRAMMES, ALL];
      return {
        ...base,
        title: message('dashboard.region.completionsInSemester'),
        columns: [col('country', message('dashboard.col.country'), 'text'), ...keys.map((k) => col(k, k === ALL ? message('dashboard.col.total') : { track: k }))],
        rows: [...cube.countries.map((code, i) => [{ country: code }, ...keys.map((k) => cubeCell(cube, i, k))]), [message('dashboard.region.total'), ...keys.map((k) => cubeCell(cube, REGION, k))]],
        sortBy: 0,
        fixedLast: 1,
        note: message('dashboard.protectedNote'),
      };
    }
    const data = await completionsPerMonth(ctx.db, ctx.scope, ctx.filters, { now: ctx.now, by: 'country' });
    return {
      ...base,
      // Completions by staff with no country (the coordination's own people) get a named column, not an empty header.
      columns: [col('month', message('dashboard.col.month'), 'text'), ...data.series.map((s) => col(s.key || 'none', s.key ? { country: s.key } : message('dashboard.col.noCountry')))],
      rows: data.months.map((m, i) => [formatMonth(m), ...data.series.map((s) => s.values[i]!)]),
      ...(ctx.filters.mode ? { note: message('dashboard.mode.notSplit') } : {}),
    };
  },
};
