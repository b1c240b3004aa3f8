// The registry of dashboard views: one file per view, each `build(ctx) → ViewTable`. Pages and exports name the
// views they need and get them built at the same time (a view's fetch shared with others runs once: ctx.shared).
// A filter that applies to every view (e.g. a learning mode) belongs in ReportFilters/AggregateQuery, read by the
// views' queries — the registry itself needs no change.
import { completions } from './completions.ts';
import type { View, ViewContext } from './context.ts';
import { coverage } from './coverage.ts';
import { coverageInstitutions } from './coverage-institutions.ts';
import { coverageSectors } from './coverage-sectors.ts';
import { coverageSex } from './coverage-sex.ts';
import { funnel } from './funnel.ts';
import { items } from './items.ts';
import { itemsTopics } from './items-topics.ts';
import { refresherPeople } from './refresher-people.ts';
import { refreshers } from './refreshers.ts';
import { regionCompletions } from './region-completions.ts';
import { regionCoverage } from './region-coverage.ts';
import { regionFunnel } from './region-funnel.ts';
import { modesCoverage } from './modes-coverage.ts';
import { modesFunnel } from './modes-funnel.ts';
import { workshops } from './workshops.ts';
import type { ViewTable } from '../table.ts';

export const REGISTRY = {
  coverage,
  'coverage-sectors': coverageSectors,
  'coverage-institutions': coverageInstitutions,
  'coverage-sex': coverageSex,
  funnel,
  completions,
  refreshers,
  'refresher-people': refresherPeople,
  items,
  'items-topics': itemsTopics,
  'region-coverage': regionCoverage,
  'region-funnel': regionFunnel,
  'region-completions': regionCompletions,
  // The split by mode and the workshop list (issue 17): the same views in a country and in the region.
  'modes-coverage': modesCoverage,
  'modes-funnel': modesFunnel,
  workshops,
  'region-modes-coverage': modesCoverage,
  'region-modes-funnel': modesFunnel,
  'region-workshops': workshops,
} satisfies Record<string, View>;

export type ViewId = keyof typeof REGISTRY;
export const COUNTRY_VIEWS = ['coverage', 'coverage-sectors', 'coverage-institutions', 'coverage-sex', 'funnel', 'completions', 'refreshers', 'modes-coverage', 'modes-funnel', 'workshops'] as const satisfies readonly ViewId[];
export const REGION_VIEWS = ['region-coverage', 'region-funnel', 'region-completions', 'region-modes-coverage', 'region-modes-funnel'] as const satisfies readonly ViewId[];
/** Region views with figures per workshop: never for aggregate-only readers (a workshop's counts are small cells). */
export const REGION_FULL_VIEWS = ['region-workshops'] as const satisfies readonly ViewId[];

export const isViewId = (id: string): id is ViewId => Object.hasOwn(REGISTRY, id);

/** Builds `ids` at once. `ctx.shared` may be left out. */
export async function buildViews<const Ids extends readonly ViewId[]>(ids: Ids, ctx: Omit<ViewContext, 'shared'> & { shared?: ViewContext['shared'] }): Promise<Record<Ids[number], ViewTable>> {
  const full: ViewContext = { ...ctx, shared: ctx.shared ?? new Map() };
  if (full.aggregate && ids.some((id) => !(REGION_VIEWS as readonly string[]).includes(id))) throw new Error(`Aggregate-only readers get only ${REGION_VIEWS.join(', ')}`);
  const tables = await Promise.all(ids.map((id) => REGISTRY[id].build(full)));
  return Object.fromEntries(ids.map((id, i) => [id, tables[i]!])) as Record<Ids[number], ViewTable>;
}

export type { View, ViewContext } from './context.ts';
