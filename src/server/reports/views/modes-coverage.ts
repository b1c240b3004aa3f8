// Coverage split by mode: per track, holders trained online, in a workshop, both, and all of them ÷ the target.
// Observers: the region's row of each track in one closed semester, cut from the coverage cube (modes-shared.ts).
import { PROGRAMMES, type ProgrammeId } from '../../../../db/schema.ts';
import { cubeCell, protectedRate, REGION, targetsByCountry } from '../aggregate.ts';
import { holdersByMode } from '../modes.ts';
import { MODES, type LearningMode } from '../scope.ts';
import type { Cell, ReportColumn, Term } from '../table.ts';
import { col, endOfPeriod, message, type View } from './context.ts';
import { coverageCubeOf, coverageOf } from './coverage-shared.ts';
import { modeLabel, protectedSplit } from './modes-shared.ts';

const columns = (): ReportColumn<Term>[] => [
  col('track', message('dashboard.col.track'), 'text'),
  ...MODES.map((m) => col(m, modeLabel(m))),
  col('total', modeLabel('total')),
  col('target', message('dashboard.col.target'), 'number'),
  col('rate', message('dashboard.col.coverage'), 'percent', 'total'),
];

const empty = (): Record<LearningMode, number> => ({ online: 0, in_person: 0, both: 0 });

export const modesCoverage: View = {
  async build(ctx) {
    const base = { id: 'modes-coverage', title: message('dashboard.mode.coverageTitle'), columns: columns(), rowHeader: 0 };
    if (ctx.aggregate) {
      const { semester, programme } = ctx.aggregate;
      // The cube counts every holder (a person once per country and track, frozen): the split works out only the
      // people workshops credited, and the online count is the rest.
      const frozen = (mode: LearningMode) => holdersByMode(ctx.db, ctx.scope, { ...(programme ? { programme } : {}), mode }, { at: semester.end, frozen: true });
      const [cube, targets, inPerson, both] = await Promise.all([coverageCubeOf(ctx, semester), targetsByCountry(ctx.db, ctx.scope), frozen('in_person'), frozen('both')]);
      const members = new Set(cube.countries);
      const tracks: ProgrammeId[] = programme ? [programme] : [...PROGRAMMES];
      return {
        ...base,
        rows: tracks.map((p) => {
          const counts = empty();
          for (const r of [...inPerson, ...both]) if (r.track === p && members.has(r.countryCode)) counts[r.mode] += r.n;
          counts.online = cube.grid[cube.countries.length]![cube.keys.indexOf(p)]! - counts.in_person - counts.both; // the region's row, unprotected
          const total = cubeCell(cube, REGION, p);
          const target = targets.get(`|${p}`) ?? 0;
          return [{ track: p }, ...protectedSplit(counts, total), total, target, protectedRate(total, target)];
        }),
        note: message('dashboard.mode.protectedNote'),
      };
    }
    const at = ctx.filters.to ? Math.min(ctx.now, endOfPeriod(ctx.filters.to)) : ctx.now;
    const { mode: _mode, ...filters } = ctx.filters;
    const report = await coverageOf(ctx);
    // Without a mode filter the coverage tables' holder counts are the split's totals (report_holders, all modes).
    const totals = report.holders.source === 'report_holders' ? report.holders.rows : undefined;
    const rows = await holdersByMode(ctx.db, ctx.scope, filters, { at, now: ctx.now, ...(totals ? { totals } : {}) });
    const byTrack = new Map<ProgrammeId, Record<LearningMode, number>>();
    for (const r of rows) {
      if (!r.countryCode) continue; // staff of the coordination, outside every country (as in the coverage tables)
      const counts = byTrack.get(r.track) ?? empty();
      byTrack.set(r.track, counts);
      counts[r.mode] += r.n;
    }
    const tracks = report.tracks.filter((p) => (report.total[p]?.target ?? 0) > 0 || byTrack.has(p));
    return {
      ...base,
      rows: tracks.map((p): (Cell | Term)[] => {
        const counts = byTrack.get(p) ?? empty();
        const total = counts.online + counts.in_person + counts.both;
        const target = report.total[p]?.target ?? 0;
        return [{ track: p }, counts.online, counts.in_person, counts.both, total, target, target > 0 ? total / target : null];
      }),
      ...(ctx.filters.mode ? { note: message('dashboard.mode.splitIgnoresFilter') } : {}),
    };
  },
};
