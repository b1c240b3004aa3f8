// The funnel per country: the coordination's comparison, or an observer's protected semester cohort.
import { ALL, cubeCell, funnelCubes, protectedRate, REGION, STAGES } from '../aggregate.ts';
import { funnelByCountry } from '../funnel.ts';
import { message, col, type View } from './context.ts';
import { funnelModesOf, sumSteps } from './modes-shared.ts';

export const regionFunnel: View = {
  async build(ctx) {
    const columns = [
      col('country', message('dashboard.col.country'), 'text'),
      ...STAGES.map((s) => col(s, message(`dashboard.col.${s}`))),
      col('completionRate', message('dashboard.col.completionRate'), 'percent', ['completed', 'enrolled']),
    ];
    const base = { id: 'region-funnel', title: message('dashboard.region.funnel'), columns, rowHeader: 0, sortBy: 0 };
    if (ctx.aggregate) {
      const cubes = await funnelCubes(ctx.db, ctx.scope, ctx.aggregate.semester);
      const key = ctx.aggregate.programme ?? ALL;
      const cells = (i: number) => {
        const [enrolled, started, completed, certified] = STAGES.map((s) => cubeCell(cubes[s], i, key)) as [number | string, number | string, number | string, number | string];
        return [enrolled, started, completed, certified, protectedRate(completed, enrolled)];
      };
      return {
        ...base,
        rows: [...cubes.enrolled.countries.map((code, i) => [{ country: code }, ...cells(i)]), [message('dashboard.region.total'), ...cells(REGION)]],
        fixedLast: 1,
        note: message('dashboard.protectedNote'),
      };
    }
    if (ctx.filters.mode) {
      const rows = (await funnelModesOf(ctx)).filter((r) => r.mode === ctx.filters.mode && r.countryCode !== '');
      const countries = [...new Set(rows.map((r) => r.countryCode))].sort();
      return {
        ...base,
        rows: countries.map((code) => {
          const t = sumSteps(rows.filter((r) => r.countryCode === code));
          return [{ country: code }, t.enrolled, t.started, t.completed, t.certified, t.enrolled > 0 ? t.completed / t.enrolled : null];
        }),
      };
    }
    const rows = await funnelByCountry(ctx.db, ctx.scope, ctx.filters);
    return { ...base, rows: rows.map((r) => [{ country: r.countryCode }, r.enrolled, r.started, r.completed, r.certified, r.enrolled > 0 ? r.completed / r.enrolled : null]) };
  },
};
