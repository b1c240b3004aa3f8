// Coverage per sector and track.
import { message, col, type View } from './context.ts';
import { activeTracks, coverageCells, coverageColumns, coverageOf } from './coverage-shared.ts';

export const coverageSectors: View = {
  async build(ctx) {
    const report = await coverageOf(ctx);
    const tracks = activeTracks(report);
    const named = report.sectors.filter((s) => s.sector !== '');
    const other = report.sectors.filter((s) => s.sector === ''); // holders without an active institution
    return {
      id: 'coverage-sectors',
      title: message('dashboard.coverage.bySector'),
      columns: [col('sector', message('dashboard.col.sector'), 'text'), ...coverageColumns(tracks)],
      rows: [...named.map((s) => [{ sector: s.sector }, ...coverageCells(tracks, s.tracks)]), ...other.map((s) => [message('dashboard.coverage.other'), ...coverageCells(tracks, s.tracks)])],
      rowHeader: 0,
      sortBy: 0,
      fixedLast: other.length,
    };
  },
};
