// What the mode tables share: one fetch of the funnel by mode per request (the split table and, with a mode filter,
// the per-course and per-country funnels read it), the mode labels, and the observers' rule for a split.
import { funnelByMode, periodBounds, type FunnelModeRow } from '../modes.ts';
import { MODES, type LearningMode } from '../scope.ts';
import { MIN_CELL, SUPPRESSED } from '../table.ts';
import type { Term } from '../table.ts';
import { message, once, type ViewContext } from './context.ts';

/** Every mode of the period's cohort (the mode filter is applied by the reader, so all tables share one fetch). */
export function funnelModesOf(ctx: ViewContext): Promise<FunnelModeRow[]> {
  return once(ctx, 'funnel-modes', () => {
    const { mode: _mode, ...rest } = ctx.filters;
    return funnelByMode(ctx.db, ctx.scope, rest, periodBounds(ctx.filters));
  });
}

export const modeLabel = (mode: LearningMode | 'total'): Term => message(`dashboard.mode.${mode}`);

export const STEPS = ['enrolled', 'started', 'completed', 'certified'] as const;
export type Step = (typeof STEPS)[number];

/** Sums funnel rows into one line of steps. */
export function sumSteps(rows: FunnelModeRow[]): Record<Step, number> {
  const out = { enrolled: 0, started: 0, completed: 0, certified: 0 };
  for (const r of rows) for (const s of STEPS) out[s] += r[s];
  return out;
}

/**
 * Observers' split of one published figure into its three modes. The three add up to the total, which is the only
 * relation between them, so they are shown only when each is at least MIN_CELL and the total is shown; otherwise all
 * three are hidden (then only their sum is known, and it is the total). No split is published per country.
 */
export function protectedSplit(counts: Record<LearningMode, number>, total: number | typeof SUPPRESSED): (number | typeof SUPPRESSED)[] {
  const shown = total !== SUPPRESSED && MODES.every((m) => counts[m] >= MIN_CELL);
  return MODES.map((m) => (shown ? counts[m] : SUPPRESSED));
}
