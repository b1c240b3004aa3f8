// The course funnel of the period's enrolment cohort, per course.
import { PROGRAMMES } from '../../../../db/schema.ts';
import { funnelReport, type FunnelRow } from '../funnel.ts';
import { message, col, type View, type ViewContext } from './context.ts';
import { funnelModesOf, sumSteps } from './modes-shared.ts';

/** One mode's funnel per course, from the split by mode (modes.ts); the summaries carry no mode, nor the days to complete. */
async function funnelOfMode(ctx: ViewContext): Promise<FunnelRow[]> {
  const rows = (await funnelModesOf(ctx)).filter((r) => r.mode === ctx.filters.mode);
  const courses = [...new Set(rows.map((r) => r.courseId))];
  const order = (p: string | null) => (p ? PROGRAMMES.indexOf(p as (typeof PROGRAMMES)[number]) : PROGRAMMES.length);
  return courses
    .map((courseId) => {
      const of = rows.filter((r) => r.courseId === courseId);
      return { courseId, programme: of[0]!.programme ?? PROGRAMMES[0], ...sumSteps(of), medianDays: null };
    })
    .sort((a, b) => order(a.programme) - order(b.programme) || a.courseId.localeCompare(b.courseId));
}

export const funnel: View = {
  async build(ctx) {
    const rows = ctx.filters.mode ? await funnelOfMode(ctx) : await funnelReport(ctx.db, ctx.scope, ctx.filters);
    return {
      id: 'funnel',
      title: message('dashboard.funnel.title'),
      columns: [
        col('course', message('dashboard.col.course'), 'text'),
        col('track', message('dashboard.col.track'), 'text'),
        col('enrolled', message('dashboard.col.enrolled')),
        col('started', message('dashboard.col.started')),
        col('completed', message('dashboard.col.completed')),
        col('certified', message('dashboard.col.certified')),
        col('completionRate', message('dashboard.col.completionRate'), 'percent', ['completed', 'enrolled']),
        col('medianDays', message('dashboard.col.medianDays'), 'number', 'completed'),
      ],
      rows: rows.map((r) => [{ course: r.courseId }, { track: r.programme }, r.enrolled, r.started, r.completed, r.certified, r.enrolled > 0 ? r.completed / r.enrolled : null, r.medianDays]),
      rowHeader: 0,
      ...(ctx.filters.mode ? { note: message('dashboard.mode.funnelNote') } : {}),
    };
  },
};
