// Certificate holders per track by sex (optional profile answer), small cells hidden for every reader (sex.ts).
import { holdersBySex } from '../sex.ts';
import { col, endOfPeriod, message, type View } from './context.ts';

export const coverageSex: View = {
  async build(ctx) {
    const at = ctx.filters.to ? Math.min(ctx.now, endOfPeriod(ctx.filters.to)) : ctx.now;
    const rows = await holdersBySex(ctx.db, ctx.scope, ctx.filters, { at, now: ctx.now });
    return {
      id: 'coverage-sex',
      title: message('dashboard.sex.title'),
      columns: [
        col('track', message('dashboard.col.track'), 'text'),
        col('female', message('dashboard.sex.female')),
        col('male', message('dashboard.sex.male')),
        col('notStated', message('dashboard.sex.notStated')),
        col('total', message('dashboard.col.holders')),
      ],
      rows: rows.map((r) => [{ track: r.track }, r.cells.female, r.cells.male, r.cells.notStated, r.cells.total]),
      rowHeader: 0,
      note: message(ctx.filters.mode ? 'dashboard.sex.noteMode' : 'dashboard.sex.note'),
    };
  },
};
