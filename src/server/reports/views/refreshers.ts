// People due for a refresher, counted per institution.
import { REFRESH_WINDOW_DAYS, refreshersByInstitution } from '../refreshers.ts';
import { message, col, type View } from './context.ts';

export const refreshers: View = {
  async build(ctx) {
    const rows = await refreshersByInstitution(ctx.db, ctx.scope, ctx.filters, { now: ctx.now });
    return {
      id: 'refreshers',
      title: message('dashboard.refreshers.title'),
      columns: [col('institution', message('dashboard.col.institution'), 'text'), col('sector', message('dashboard.col.sector'), 'text'), col('expired', message('dashboard.col.expired')), col('dueSoon', message('dashboard.col.dueSoon', { days: REFRESH_WINDOW_DAYS })), col('total', message('dashboard.col.total'))],
      rows: rows.map((r) => [r.name, r.sector ? { sector: r.sector } : '', r.expired, r.dueSoon, r.expired + r.dueSoon]),
      rowHeader: 0,
      ...(ctx.filters.mode ? { note: message('dashboard.mode.notSplit') } : {}),
    };
  },
};
