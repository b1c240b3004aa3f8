// The course funnel of the period's enrolment cohort, per course.
import { funnelReport } from '../funnel.ts';
import { message, col, type View } from './context.ts';

export const funnel: View = {
  async build(ctx) {
    const rows = await funnelReport(ctx.db, ctx.scope, ctx.filters);
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
    };
  },
};
