// Coverage per track for one country (or the coordination's regional scope).
import { message, col, type View } from './context.ts';
import { activeTracks, coverageOf } from './coverage-shared.ts';

export const coverage: View = {
  async build(ctx) {
    const report = await coverageOf(ctx);
    return {
      id: 'coverage',
      title: message('dashboard.coverage.byTrack'),
      columns: [col('track', message('dashboard.col.track'), 'text'), col('holders', message('dashboard.col.holders')), col('target', message('dashboard.col.target'), 'number'), col('rate', message('dashboard.col.coverage'), 'percent', 'holders')],
      rows: activeTracks(report).map((p) => [{ track: p }, report.total[p]?.holders ?? 0, report.total[p]?.target ?? 0, report.total[p]?.rate ?? null]),
      rowHeader: 0,
    };
  },
};
