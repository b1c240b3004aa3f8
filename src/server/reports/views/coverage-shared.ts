// What the three coverage tables of a country share: one coverage fetch per request, and the track columns.
import type { ProgrammeId } from '../../../../db/schema.ts';
import { coverageCube, type Cube } from '../aggregate.ts';
import { coverageReport, type CoverageCell, type CoverageReport } from '../coverage.ts';
import type { Semester } from '../semesters.ts';
import type { Term, ReportColumn } from '../table.ts';
import { col, endOfPeriod, once, trackLabel, type ViewContext } from './context.ts';

/** Coverage at the end of the period (`to`), or now. */
export function coverageOf(ctx: ViewContext): Promise<CoverageReport> {
  return once(ctx, 'coverage', () => {
    const at = ctx.filters.to ? Math.min(ctx.now, endOfPeriod(ctx.filters.to)) : ctx.now;
    return coverageReport(ctx.db, ctx.scope, ctx.filters, { at, now: ctx.now });
  });
}

/** An observer's coverage cube of one semester, once per request (the regional table and the split by mode read it). */
export function coverageCubeOf(ctx: ViewContext, semester: Semester): Promise<Cube> {
  return once(ctx, `coverage-cube:${semester.id}`, () => coverageCube(ctx.db, ctx.scope, semester));
}

/** Tracks that have a target or a holder somewhere in the report (hides e.g. Medios for a country without media targets). */
export function activeTracks(report: { tracks: ProgrammeId[]; total: Partial<Record<ProgrammeId, CoverageCell>> }): ProgrammeId[] {
  return report.tracks.filter((p) => (report.total[p]?.target ?? 0) > 0 || (report.total[p]?.holders ?? 0) > 0);
}

export function coverageColumns(tracks: ProgrammeId[]): ReportColumn<Term>[] {
  return tracks.flatMap((p) => [
    col(`${p}.holders`, trackLabel(p, 'dashboard.col.holders')),
    col(`${p}.target`, trackLabel(p, 'dashboard.col.target'), 'number'),
    col(`${p}.rate`, trackLabel(p, 'dashboard.col.coverage'), 'percent', `${p}.holders`),
  ]);
}

export const coverageCells = (tracks: ProgrammeId[], cells: Partial<Record<ProgrammeId, CoverageCell>>): (number | null)[] =>
  tracks.flatMap((p) => {
    const c = cells[p];
    return c && (c.target > 0 || c.holders > 0) ? [c.holders, c.target, c.rate] : [c?.holders ?? 0, c?.target ?? 0, null];
  });
