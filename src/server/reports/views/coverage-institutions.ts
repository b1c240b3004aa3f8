// Coverage per institution and track.
import { message, col, type View } from './context.ts';
import { activeTracks, coverageCells, coverageColumns, coverageOf } from './coverage-shared.ts';

export const coverageInstitutions: View = {
  async build(ctx) {
    const report = await coverageOf(ctx);
    const tracks = activeTracks(report);
    return {
      id: 'coverage-institutions',
      title: message('dashboard.coverage.byInstitution'),
      columns: [col('institution', message('dashboard.col.institution'), 'text'), col('sector', message('dashboard.col.sector'), 'text'), ...coverageColumns(tracks)],
      // Holders without an active institution (journalists, deactivated institutions) in an "other" row, last.
      rows: report.institutions.map((i) =>
        i.institutionId === 0 ? [message('dashboard.coverage.other'), '', ...coverageCells(tracks, i.tracks)] : [i.acronym ? `${i.name} (${i.acronym})` : i.name, { sector: i.sector }, ...coverageCells(tracks, i.tracks)],
      ),
      rowHeader: 0,
    };
  },
};
