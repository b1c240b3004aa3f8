// The funnel of the period's cohort split by mode: people × courses who took the course online, in a workshop, both,
// and all of them (modes.ts). Observers: the region's lines in one closed semester, frozen at its end, protected.
import { sql } from 'drizzle-orm';
import { protectedRate } from '../aggregate.ts';
import { funnelByMode } from '../modes.ts';
import { MODES, type LearningMode } from '../scope.ts';
import { MIN_CELL, SUPPRESSED, type Cell, type Term } from '../table.ts';
import { col, message, type View } from './context.ts';
import { funnelModesOf, modeLabel, protectedSplit, STEPS, sumSteps, type Step } from './modes-shared.ts';

const memberCountries = sql`SELECT code FROM countries WHERE member = 1`;

const columns = () => [
  col('mode', message('dashboard.mode.column'), 'text'),
  ...STEPS.map((s) => col(s, message(`dashboard.mode.step.${s}`))),
  col('completionRate', message('dashboard.col.completionRate'), 'percent', ['completed', 'enrolled']),
];

export const modesFunnel: View = {
  async build(ctx) {
    const base = { id: 'modes-funnel', title: message('dashboard.mode.funnelTitle'), columns: columns(), rowHeader: 0 };
    if (ctx.aggregate) {
      const { semester, programme } = ctx.aggregate;
      const rows = await funnelByMode(ctx.db, ctx.scope, programme ? { programme } : {}, { start: semester.start, end: semester.end, until: semester.end, frozen: true });
      const members = new Set((await ctx.db.all<{ code: string }>(memberCountries)).map((r) => r.code));
      const inRegion = rows.filter((r) => members.has(r.countryCode));
      const per = Object.fromEntries(MODES.map((m) => [m, sumSteps(inRegion.filter((r) => r.mode === m))])) as Record<LearningMode, Record<Step, number>>;
      const all = sumSteps(inRegion);
      const shownTotal = (s: Step) => (all[s] >= MIN_CELL ? all[s] : SUPPRESSED);
      const split = Object.fromEntries(STEPS.map((s) => [s, protectedSplit({ online: per.online[s], in_person: per.in_person[s], both: per.both[s] }, shownTotal(s))])) as Record<Step, (number | string)[]>;
      const line = (label: Term, cells: (number | string)[]): (Cell | Term)[] => [label, ...cells, protectedRate(cells[2]!, cells[0]!)];
      return {
        ...base,
        rows: [...MODES.map((m, i) => line(modeLabel(m), STEPS.map((s) => split[s][i]!))), line(modeLabel('total'), STEPS.map(shownTotal))],
        note: message('dashboard.mode.protectedNote'),
      };
    }
    const rows = await funnelModesOf(ctx);
    const line = (label: Term, t: Record<Step, number>): (Cell | Term)[] => [label, ...STEPS.map((s) => t[s]), t.enrolled > 0 ? t.completed / t.enrolled : null];
    return {
      ...base,
      rows: [...MODES.map((m) => line(modeLabel(m), sumSteps(rows.filter((r) => r.mode === m)))), line(modeLabel('total'), sumSteps(rows))],
      ...(ctx.filters.mode ? { note: message('dashboard.mode.splitIgnoresFilter') } : {}),
    };
  },
};
