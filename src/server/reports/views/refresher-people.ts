// The named list of people due for a refresher (committee and coordination only: policy 'reports.exportPeople').
import { refresherPeople as list } from '../refreshers.ts';
import { message, col, type View } from './context.ts';

export const refresherPeople: View = {
  async build(ctx) {
    const people = await list(ctx.db, ctx.scope, ctx.filters, { now: ctx.now });
    return {
      id: 'refresher-people',
      title: message('dashboard.refreshers.people'),
      columns: [col('name', message('dashboard.col.name'), 'text'), col('email', message('dashboard.col.email'), 'text'), col('institution', message('dashboard.col.institution'), 'text'), col('validUntil', message('dashboard.col.validUntil'), 'text'), col('status', message('dashboard.col.status'), 'text')],
      rows: people.map((p) => [p.name, p.email, p.institution, { date: p.validUntil }, message(p.expired ? 'dashboard.refreshers.expired' : 'dashboard.refreshers.dueSoon')]),
      rowHeader: 0,
    };
  },
};
