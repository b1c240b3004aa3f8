// Dashboard views as tables: each view fetches its figures (coverage.ts, funnel.ts, refreshers.ts, items.ts) and
// turns them into a ReportTable with translated headers. Pages and exports both call buildView/buildViews.
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import type { MessageKey, Params } from '../../i18n/index.ts';
import { coverageByCountry, coverageReport, type CoverageCell, type CoverageReport } from './coverage.ts';
import { completionsPerMonth, funnelByCountry, funnelReport } from './funnel.ts';
import { itemAnalysis } from './items.ts';
import { refresherPeople, refreshersByInstitution } from './refreshers.ts';
import { formatMonth, type CountryScope, type ReportFilters } from './scope.ts';
import type { Cell, ReportColumn, ReportTable } from './table.ts';

export interface Names {
  locale: 'es' | 'en';
  t: (key: MessageKey, params?: Params) => string;
  course: (id: string) => string;
  country: (code: string) => string;
  sector: (code: string) => string;
  /** Question text and option labels for item analysis (from the quiz bank). */
  question?: (id: string) => { text: string; topic: string; describe: (responseJson: string) => string } | undefined;
}

export const COUNTRY_VIEWS = ['coverage', 'coverage-sectors', 'coverage-institutions', 'funnel', 'completions', 'refreshers'] as const;
export const REGION_VIEWS = ['region-coverage', 'region-funnel', 'region-completions'] as const;
export const VIEWS = [...COUNTRY_VIEWS, ...REGION_VIEWS, 'refresher-people', 'items', 'items-topics'] as const;
export type ViewId = (typeof VIEWS)[number];

export const track = (names: Names, p: string) => names.t(`dashboard.track.${p}` as MessageKey);

const col = (key: string, label: string, kind: ReportColumn['kind'] = 'count', dependsOn?: string): ReportColumn => ({ key, label, kind, ...(dependsOn ? { dependsOn } : {}) });

function coverageColumns(names: Names, tracks: ProgrammeId[]): ReportColumn[] {
  return tracks.flatMap((p) => [
    col(`${p}.holders`, `${track(names, p)} · ${names.t('dashboard.col.holders')}`),
    col(`${p}.target`, `${track(names, p)} · ${names.t('dashboard.col.target')}`, 'number'),
    col(`${p}.rate`, `${track(names, p)} · ${names.t('dashboard.col.coverage')}`, 'percent', `${p}.holders`),
  ]);
}

const coverageCells = (tracks: ProgrammeId[], cells: Partial<Record<ProgrammeId, CoverageCell>>): Cell[] =>
  tracks.flatMap((p) => {
    const c = cells[p];
    return c && (c.target > 0 || c.holders > 0) ? [c.holders, c.target, c.rate] : [c?.holders ?? 0, c?.target ?? 0, null];
  });

/** Tracks that have a target or a holder somewhere in the report (hides e.g. Medios for a country without media targets). */
function activeTracks(report: { tracks: ProgrammeId[]; total: Partial<Record<ProgrammeId, CoverageCell>> }): ProgrammeId[] {
  return report.tracks.filter((p) => (report.total[p]?.target ?? 0) > 0 || (report.total[p]?.holders ?? 0) > 0);
}

export function coverageTables(report: CoverageReport, names: Names): Record<'coverage' | 'coverage-sectors' | 'coverage-institutions', ReportTable> {
  const tracks = activeTracks(report);
  return {
    coverage: {
      id: 'coverage',
      title: names.t('dashboard.coverage.byTrack'),
      columns: [col('track', names.t('dashboard.col.track'), 'text'), col('holders', names.t('dashboard.col.holders')), col('target', names.t('dashboard.col.target'), 'number'), col('rate', names.t('dashboard.col.coverage'), 'percent', 'holders')],
      rows: tracks.map((p) => [track(names, p), report.total[p]?.holders ?? 0, report.total[p]?.target ?? 0, report.total[p]?.rate ?? null]),
      rowHeader: 0,
    },
    'coverage-sectors': {
      id: 'coverage-sectors',
      title: names.t('dashboard.coverage.bySector'),
      columns: [col('sector', names.t('dashboard.col.sector'), 'text'), ...coverageColumns(names, tracks)],
      rows: report.sectors.map((s) => [names.sector(s.sector), ...coverageCells(tracks, s.tracks)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]), names.locale)),
      rowHeader: 0,
    },
    'coverage-institutions': {
      id: 'coverage-institutions',
      title: names.t('dashboard.coverage.byInstitution'),
      columns: [col('institution', names.t('dashboard.col.institution'), 'text'), col('sector', names.t('dashboard.col.sector'), 'text'), ...coverageColumns(names, tracks)],
      rows: report.institutions.map((i) => [i.acronym ? `${i.name} (${i.acronym})` : i.name, names.sector(i.sector), ...coverageCells(tracks, i.tracks)]),
      rowHeader: 0,
    },
  };
}

export interface BuildOptions {
  now?: number;
  courseId?: string;
}

/** Several views of one scope at once (coverage is fetched once for its three tables). */
export async function buildViews(db: Database, views: readonly ViewId[], scope: CountryScope, filters: ReportFilters, names: Names, options: BuildOptions = {}): Promise<Map<ViewId, ReportTable>> {
  const out = new Map<ViewId, ReportTable>();
  const now = options.now ?? Date.now();
  const t = names.t;
  if (views.some((v) => v.startsWith('coverage'))) {
    const at = filters.to ? Math.min(now, endOfPeriod(filters.to)) : now;
    const tables = coverageTables(await coverageReport(db, scope, filters, { at, now }), names);
    for (const v of ['coverage', 'coverage-sectors', 'coverage-institutions'] as const) if (views.includes(v)) out.set(v, tables[v]);
  }
  if (views.includes('funnel')) {
    const rows = await funnelReport(db, scope, filters);
    out.set('funnel', {
      id: 'funnel',
      title: t('dashboard.funnel.title'),
      columns: [
        col('course', t('dashboard.col.course'), 'text'),
        col('track', t('dashboard.col.track'), 'text'),
        col('enrolled', t('dashboard.col.enrolled')),
        col('started', t('dashboard.col.started')),
        col('completed', t('dashboard.col.completed')),
        col('certified', t('dashboard.col.certified')),
        col('completionRate', t('dashboard.col.completionRate'), 'percent', 'completed'),
        col('medianDays', t('dashboard.col.medianDays'), 'number', 'completed'),
      ],
      rows: rows.map((r) => [names.course(r.courseId), track(names, r.programme), r.enrolled, r.started, r.completed, r.certified, r.enrolled > 0 ? r.completed / r.enrolled : null, r.medianDays]),
      rowHeader: 0,
    });
  }
  if (views.includes('completions') || views.includes('region-completions')) {
    for (const v of ['completions', 'region-completions'] as const) {
      if (!views.includes(v)) continue;
      const by = v === 'completions' ? 'track' : 'country';
      const data = await completionsPerMonth(db, scope, filters, { now, by });
      out.set(v, {
        id: v,
        title: t(v === 'completions' ? 'dashboard.completions.title' : 'dashboard.region.completions'),
        columns: [col('month', t('dashboard.col.month'), 'text'), ...data.series.map((s) => col(s.key, by === 'track' ? track(names, s.key) : names.country(s.key)))],
        rows: data.months.map((m, i) => [formatMonth(m), ...data.series.map((s) => s.values[i]!)]),
        rowHeader: 0,
      });
    }
  }
  if (views.includes('refreshers')) {
    const rows = await refreshersByInstitution(db, scope, filters, { now });
    out.set('refreshers', {
      id: 'refreshers',
      title: t('dashboard.refreshers.title'),
      columns: [col('institution', t('dashboard.col.institution'), 'text'), col('sector', t('dashboard.col.sector'), 'text'), col('expired', t('dashboard.col.expired')), col('dueSoon', t('dashboard.col.dueSoon')), col('total', t('dashboard.col.total'))],
      rows: rows.map((r) => [r.name, names.sector(r.sector), r.expired, r.dueSoon, r.expired + r.dueSoon]),
      rowHeader: 0,
    });
  }
  if (views.includes('refresher-people')) {
    const people = await refresherPeople(db, scope, filters, { now });
    const date = new Intl.DateTimeFormat(names.locale === 'es' ? 'es-419' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
    out.set('refresher-people', {
      id: 'refresher-people',
      title: t('dashboard.refreshers.people'),
      columns: [col('name', t('dashboard.col.name'), 'text'), col('email', t('dashboard.col.email'), 'text'), col('institution', t('dashboard.col.institution'), 'text'), col('validUntil', t('dashboard.col.validUntil'), 'text'), col('status', t('dashboard.col.status'), 'text')],
      rows: people.map((p) => [p.name, p.email, p.institution, date.format(p.validUntil), t(p.expired ? 'dashboard.refreshers.expired' : 'dashboard.refreshers.dueSoon')]),
      rowHeader: 0,
    });
  }
  if ((views.includes('items') || views.includes('items-topics')) && options.courseId) {
    const report = await itemAnalysis(db, scope, options.courseId);
    out.set('items', {
      id: 'items',
      title: t('dashboard.items.title', { course: names.course(options.courseId) }),
      columns: [
        col('question', t('dashboard.col.question'), 'text'),
        col('topic', t('dashboard.col.topic'), 'text'),
        col('text', t('dashboard.col.questionText'), 'text'),
        col('answered', t('dashboard.col.answered')),
        col('pCorrect', t('dashboard.col.pCorrect'), 'percent', 'answered'),
        col('discrimination', t('dashboard.col.discrimination'), 'number', 'answered'),
        col('topWrong', t('dashboard.col.topWrong'), 'text'),
        col('topWrongShare', t('dashboard.col.topWrongShare'), 'percent', 'answered'),
        col('flag', t('dashboard.col.flag'), 'text'),
      ],
      rows: report.items.map((i) => {
        const q = names.question?.(i.questionId);
        return [
          i.questionId,
          q?.topic ?? '',
          q?.text ?? '',
          i.answered,
          i.pCorrect,
          i.discrimination === null ? null : Math.round(i.discrimination * 100) / 100,
          i.topWrong ? (q ? q.describe(i.topWrong.response) : i.topWrong.response) : null,
          i.topWrong?.share ?? null,
          itemFlag(i, t),
        ];
      }),
      rowHeader: 0,
    });
    // Topics: where learners go wrong, across the questions that test the same thing.
    const topics = new Map<string, { answered: number; correct: number; questions: number }>();
    for (const i of report.items) {
      const topic = names.question?.(i.questionId)?.topic ?? '—';
      const x = topics.get(topic) ?? { answered: 0, correct: 0, questions: 0 };
      topics.set(topic, { answered: x.answered + i.answered, correct: x.correct + i.correct, questions: x.questions + 1 });
    }
    out.set('items-topics', {
      id: 'items-topics',
      title: t('dashboard.items.topics'),
      columns: [col('topic', t('dashboard.col.topic'), 'text'), col('questions', t('dashboard.col.questions'), 'number'), col('answered', t('dashboard.col.answered')), col('pCorrect', t('dashboard.col.pCorrect'), 'percent', 'answered')],
      rows: [...topics.entries()].map(([topic, x]): Cell[] => [topic, x.questions, x.answered, x.answered ? x.correct / x.answered : null]).sort((a, b) => Number(a[3] ?? 1) - Number(b[3] ?? 1)),
      rowHeader: 0,
    });
  }
  if (views.includes('region-coverage')) {
    const at = filters.to ? Math.min(now, endOfPeriod(filters.to)) : now;
    const report = await coverageByCountry(db, scope, filters, { at, now });
    const tracks = activeTracks(report);
    out.set('region-coverage', {
      id: 'region-coverage',
      title: t('dashboard.region.coverage'),
      columns: [col('country', t('dashboard.col.country'), 'text'), ...coverageColumns(names, tracks)],
      rows: [
        ...report.countries.map((c) => [names.country(c.countryCode), ...coverageCells(tracks, c.tracks)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]), names.locale)),
        [t('dashboard.region.total'), ...coverageCells(tracks, report.total)],
      ],
      rowHeader: 0,
    });
  }
  if (views.includes('region-funnel')) {
    const rows = await funnelByCountry(db, scope, filters);
    out.set('region-funnel', {
      id: 'region-funnel',
      title: t('dashboard.region.funnel'),
      columns: [col('country', t('dashboard.col.country'), 'text'), col('enrolled', t('dashboard.col.enrolled')), col('started', t('dashboard.col.started')), col('completed', t('dashboard.col.completed')), col('certified', t('dashboard.col.certified')), col('completionRate', t('dashboard.col.completionRate'), 'percent', 'completed')],
      rows: rows.map((r) => [names.country(r.countryCode), r.enrolled, r.started, r.completed, r.certified, r.enrolled > 0 ? r.completed / r.enrolled : null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]), names.locale)),
      rowHeader: 0,
    });
  }
  return out;
}

export async function buildView(db: Database, view: ViewId, scope: CountryScope, filters: ReportFilters, names: Names, options: BuildOptions = {}): Promise<ReportTable | undefined> {
  return (await buildViews(db, [view], scope, filters, names, options)).get(view);
}

/** Rules of thumb for item writers: too easy, too hard, or not telling stronger from weaker learners. */
export function itemFlag(i: { answered: number; pCorrect: number | null; discrimination: number | null }, t: Names['t']): string {
  if (i.answered < 20 || i.pCorrect === null) return '';
  const flags: string[] = [];
  if (i.discrimination !== null && i.discrimination < 0) flags.push(t('dashboard.items.flagNegative'));
  else if (i.discrimination !== null && i.discrimination < 0.2) flags.push(t('dashboard.items.flagLow'));
  if (i.pCorrect < 0.3) flags.push(t('dashboard.items.flagHard'));
  if (i.pCorrect > 0.95) flags.push(t('dashboard.items.flagEasy'));
  return flags.join('; ');
}

function endOfPeriod(month: number): number {
  const y = Math.floor(month / 100);
  const m = month % 100;
  return Date.UTC(y, m, 1); // first instant of the next month
}

export { PROGRAMMES };
