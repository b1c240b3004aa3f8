// Coverage per country × track: the coordination's comparison, or an observer's protected semester figures.
import { PROGRAMMES } from '../../../../db/schema.ts';
import { countriesOf } from '../coverage.ts';
import { cubeCell, protectedRate, REGION, targetsByCountry } from '../aggregate.ts';
import { message, col, type View } from './context.ts';
import { activeTracks, coverageCells, coverageColumns, coverageCubeOf, coverageOf } from './coverage-shared.ts';

export const regionCoverage: View = {
  async build(ctx) {
    const base = { id: 'region-coverage', title: message('dashboard.region.coverage'), rowHeader: 0, sortBy: 0, fixedLast: 1 };
    if (ctx.aggregate) {
      const { semester, programme } = ctx.aggregate;
      const tracks = programme ? [programme] : [...PROGRAMMES];
      const [cube, targets] = await Promise.all([coverageCubeOf(ctx, semester), targetsByCountry(ctx.db, ctx.scope)]);
      const cells = (i: number, code: string) =>
        tracks.flatMap((p) => {
          const holders = cubeCell(cube, i, p);
          const target = targets.get(`${code}|${p}`) ?? 0;
          return [holders, target, protectedRate(holders, target)];
        });
      return {
        ...base,
        columns: [col('country', message('dashboard.col.country'), 'text'), ...coverageColumns(tracks)],
        rows: [...cube.countries.map((code, i) => [{ country: code }, ...cells(i, code)]), [message('dashboard.region.total'), ...cells(REGION, '')]],
        note: message('dashboard.protectedNote'),
      };
    }
    const report = countriesOf(await coverageOf(ctx)); // the coverage the split by mode also reads: one fetch
    const tracks = activeTracks(report);
    return {
      ...base,
      columns: [col('country', message('dashboard.col.country'), 'text'), ...coverageColumns(tracks)],
      rows: [...report.countries.map((c) => [{ country: c.countryCode }, ...coverageCells(tracks, c.tracks)]), [message('dashboard.region.total'), ...coverageCells(tracks, report.total)]],
    };
  },
};
