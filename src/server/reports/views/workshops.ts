// The workshop list with attendance rates (committee: its country's; coordination: every country and the regional ones).
import { workshopFigures } from '../workshops.ts';
import { col, message, type View } from './context.ts';

export const workshops: View = {
  async build(ctx) {
    const list = await workshopFigures(ctx.db, ctx.scope, ctx.filters, ctx.now);
    return {
      id: 'workshops',
      title: message('dashboard.workshops.title'),
      columns: [
        col('workshop', message('dashboard.workshops.col.workshop'), 'text'),
        col('country', message('dashboard.col.country'), 'text'),
        col('course', message('dashboard.col.course'), 'text'),
        col('mode', message('dashboard.workshops.col.mode'), 'text'),
        col('dates', message('dashboard.workshops.col.dates'), 'text'),
        col('state', message('dashboard.workshops.col.state'), 'text'),
        col('participants', message('dashboard.workshops.col.participants')),
        col('attendedRule', message('dashboard.workshops.col.attendedRule')),
        col('attendanceRate', message('dashboard.workshops.col.attendanceRate'), 'percent', ['attendedRule', 'participants']),
        col('hoursDelivered', message('dashboard.workshops.col.hoursDelivered'), 'number'),
        col('credited', message('dashboard.workshops.col.credited')),
      ],
      rows: list.map((w) => [
        // Bilingual data travels as both texts; the message of each locale picks its own.
        message('dashboard.workshops.name', { es: w.titleEs, en: w.titleEn }),
        w.countryCode ? { country: w.countryCode } : message('dashboard.workshops.regional'),
        { course: w.courseId },
        message(`dashboard.workshops.mode.${w.mode}`),
        w.startsOn === w.endsOn ? w.startsOn : `${w.startsOn} – ${w.endsOn}`,
        message(`dashboard.workshops.state.${w.state}`),
        w.participants,
        w.attendedRule,
        w.participants > 0 ? w.attendedRule / w.participants : null,
        w.hoursDelivered,
        w.credited,
      ]),
      rowHeader: 0,
    };
  },
};
