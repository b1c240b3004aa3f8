// The glue between dashboard pages and src/server/reports: who may see which scope (the policy), the loaders pages
// call (loadCountryDashboard, loadRegionDashboard, loadSemesterReport, loadExport, …), and the translation of the
// views' tables at the edge (localizeTable: message keys, country/sector/course names, dates → words of one locale).
import type { Database } from '../../db/client.ts';
import { getReportingDb } from './db.ts';
import { getBank, getCourses } from './content.ts';
import { clockFor, type Clock } from '../i18n/format.ts';
import { countryTimeZone } from '../server/time-zone.ts';
import { localePath, translate, type Locale, type MessageKey, type Params } from '../i18n/index.ts';
import { listActiveInstitutions, listCountries, listSectors } from '../server/directory.ts';
import { describeResponse, type QuestionBank, type Response as QuizResponse } from '../server/learning/index.ts';
import { can, countryScope, type Action, type Actor } from '../server/policy.ts';
import { aggregateQueryString, parseAggregateQuery, type AggregateQuery } from '../server/reports/aggregate.ts';
import { REFRESH_WINDOW_DAYS } from '../server/reports/refreshers.ts';
import { filtersToQuery, narrowScope, parseFilters, type CountryScope, type ReportFilters } from '../server/reports/scope.ts';
import { closedSemesters, parseSemester, recentSemesters, semesterOf, semesterReport, type Semester } from '../server/reports/semester.ts';
import type { Cell, ReportTable, Term, ViewTable } from '../server/reports/table.ts';
import { buildViews, COUNTRY_VIEWS, isViewId, REGION_FULL_VIEWS, REGION_VIEWS, type ViewId } from '../server/reports/views/index.ts';

/** The one country a person may open, narrowed from their policy scope; null = not allowed. */
export function countryAccess(user: Actor | null | undefined, countryCode: string): CountryScope | null {
  if (!can(user, 'dashboard.view', { countryCode })) return null;
  return narrowScope(countryScope(user, 'dashboard.view'), countryCode);
}

/** Regional figures: full for the coordination, protected aggregates for observers; null = not allowed. */
export function regionAccess(user: Actor | null | undefined): { scope: CountryScope; suppressed: boolean } | null {
  if (can(user, 'dashboard.viewRegion')) return { scope: countryScope(user, 'dashboard.viewRegion'), suppressed: false };
  if (can(user, 'dashboard.viewAggregates')) return { scope: countryScope(user, 'dashboard.viewAggregates'), suppressed: true };
  return null;
}

export interface CourseOption {
  id: string;
  programme: string;
  title: string;
}

/** Courses in programme order (content: the programmes' `order`, then each course's). */
export async function listCourses(locale: Locale): Promise<CourseOption[]> {
  return (await getCourses()).map((c) => ({ id: c.id, programme: c.programme, title: c.title[locale] }));
}

type Question = QuestionBank['questions'][number];

/** A stored response ({"type":"single","choice":"b"} …) in the words of the question: the learning domain's one describer. */
function describeStoredResponse(q: Question, locale: Locale, json: string): string {
  let response: QuizResponse;
  try {
    response = JSON.parse(json) as QuizResponse;
  } catch {
    return json;
  }
  const words = { true: translate(locale, 'learning.quiz.true'), false: translate(locale, 'learning.quiz.false'), unanswered: translate(locale, 'learning.quiz.unanswered') };
  return describeResponse(q, response, locale, words).join('; ');
}

/** The words a table's Terms are translated with. */
export interface Names {
  locale: Locale;
  /** The reader's dates and times: their country's zone, UTC (stated) for staff with no country. */
  clock: Clock;
  t: (key: MessageKey, params?: Params) => string;
  course: (id: string) => string;
  country: (code: string) => string;
  sector: (code: string) => string;
  /** Question text and a stored response in words (item analysis: from the course's quiz bank). */
  question: (id: string) => { text: string; describe: (responseJson: string) => string } | undefined;
}

/** Names for one locale; pass the sectors when the page lists them anyway (queried once), and the course of an item analysis. */
export async function reportNames(db: Database, locale: Locale, options: { viewer?: { countryCode: string | null } | null; sectors?: { code: string; name: string }[]; courseId?: string } = {}): Promise<Names> {
  const [courses, countries, sectors, bank, timeZone] = await Promise.all([
    listCourses(locale),
    listCountries(db, locale),
    options.sectors ?? listSectors(db, locale),
    options.courseId ? getBank(options.courseId) : undefined,
    countryTimeZone(db, options.viewer?.countryCode),
  ]);
  const courseTitles = new Map(courses.map((c) => [c.id, c.title]));
  const countryNames = new Map(countries.map((c) => [c.code, c.name]));
  const sectorNames = new Map(sectors.map((s) => [s.code, s.name]));
  const questions = new Map((bank?.questions ?? []).map((q) => [q.id, q]));
  return {
    locale,
    clock: clockFor(locale, timeZone),
    t: (key: MessageKey, params?: Params) => translate(locale, key, params),
    course: (id) => courseTitles.get(id) ?? id,
    country: (code) => countryNames.get(code) ?? code,
    sector: (code) => sectorNames.get(code) ?? code,
    question: (id) => {
      const q = questions.get(id);
      return q ? { text: q.text[locale], describe: (json: string) => describeStoredResponse(q, locale, json) } : undefined;
    },
  };
}

/** A Term in words. */
export function termText(term: Term, names: Names): string {
  if ('message' in term) {
    const params = term.params ? Object.fromEntries(Object.entries(term.params).map(([k, v]) => [k, typeof v === 'object' ? termText(v, names) : v])) : undefined;
    return names.t(term.message, params);
  }
  if ('track' in term) return names.t(`dashboard.track.${term.track}` as MessageKey);
  if ('country' in term) return names.country(term.country);
  if ('sector' in term) return names.sector(term.sector);
  if ('course' in term) return names.course(term.course);
  if ('response' in term) return names.question(term.question)?.describe(term.response) ?? term.response;
  if ('question' in term) return names.question(term.question)?.text ?? '';
  if ('topic' in term) return term.topic;
  if ('date' in term) return names.clock.date(term.date, 'medium');
  return term.join.map((t) => termText(t, names)).join(term.sep ?? ' · ');
}

/** A view's table in one locale, rows in the order of the translated names where the view asks for it. */
export function localizeTable(table: ViewTable, names: Names): ReportTable {
  const cell = (v: Cell | Term): Cell => (v !== null && typeof v === 'object' ? termText(v, names) : v);
  let rows = table.rows.map((row) => row.map(cell));
  if (table.sortBy !== undefined) {
    const by = table.sortBy;
    const keep = table.fixedLast ?? 0;
    const sorted = rows.slice(0, rows.length - keep).sort((a, b) => String(a[by]).localeCompare(String(b[by]), names.locale));
    rows = [...sorted, ...rows.slice(rows.length - keep)];
  }
  return {
    id: table.id,
    ...(table.rowHeader !== undefined ? { rowHeader: table.rowHeader } : {}),
    title: termText(table.title, names),
    columns: table.columns.map((c) => ({ ...c, label: termText(c.label, names) })),
    rows,
    ...(table.note ? { note: termText(table.note, names) } : {}),
  };
}

export interface CountryDashboard {
  code: string;
  countryName: string;
  filters: ReportFilters;
  query: string;
  tables: Record<(typeof COUNTRY_VIEWS)[number], ReportTable>;
  courses: CourseOption[];
  sectors: { code: string; name: string }[];
  institutions: { id: number; name: string }[];
  canSeePeople: boolean;
  canSeeItems: boolean;
  asOf: string;
  refresherWindowDays: number;
}

/** One country's dashboard for `user`, or null when the policy does not let them open it. */
export async function loadCountryDashboard(user: Actor | null | undefined, locale: Locale, countryCode: string, params: URLSearchParams, now = Date.now()): Promise<CountryDashboard | null> {
  const code = countryCode.toUpperCase();
  const scope = countryAccess(user, code);
  if (!scope) return null;
  const db = getReportingDb();
  const filters = parseFilters(params);
  const sectors = await listSectors(db, locale);
  const [names, courses, institutions, tables] = await Promise.all([
    reportNames(db, locale, { viewer: user, sectors }),
    listCourses(locale),
    listActiveInstitutions(db, code),
    buildViews(COUNTRY_VIEWS, { db, scope, filters, now }),
  ]);
  return {
    code,
    countryName: names.country(code),
    filters,
    query: filtersToQuery(filters),
    tables: Object.fromEntries(COUNTRY_VIEWS.map((id) => [id, localizeTable(tables[id], names)])) as CountryDashboard['tables'],
    courses,
    sectors,
    institutions: institutions.map((i) => ({ id: i.id, name: i.name })),
    canSeePeople: can(user, 'reports.exportPeople', { countryCode: code }),
    canSeeItems: can(user, 'quiz.itemAnalysis', { countryCode: code }),
    asOf: names.clock.dateTime(now),
    refresherWindowDays: REFRESH_WINDOW_DAYS,
  };
}

export interface RegionDashboard {
  suppressed: boolean;
  /** Observers: the closed semester and track asked for; the filters then are only these. */
  aggregate: AggregateQuery | null;
  semesters: Semester[];
  filters: ReportFilters;
  /** Query string of the figures shown (export links). */
  query: string;
  tables: Record<(typeof REGION_VIEWS)[number], ReportTable>;
  /** The workshop list: the coordination only (per-workshop counts are small cells, never an observer's). */
  workshops: ReportTable | null;
  courses: CourseOption[];
  sectors: { code: string; name: string }[];
  countries: { code: string; name: string }[];
  asOf: string;
}

/** The regional dashboard: the coordination's full figures, or an observer's protected semester aggregates; null = not allowed. */
export async function loadRegionDashboard(user: Actor | null | undefined, locale: Locale, params: URLSearchParams, now = Date.now()): Promise<RegionDashboard | null> {
  const access = regionAccess(user);
  if (!access) return null;
  const db = getReportingDb();
  const aggregate = access.suppressed ? parseAggregateQuery(params, now) : null;
  const filters = aggregate ? (aggregate.programme ? { programme: aggregate.programme } : {}) : parseFilters(params);
  const sectors = await listSectors(db, locale);
  const [names, courses, countries, tables, full] = await Promise.all([
    reportNames(db, locale, { viewer: user, sectors }),
    listCourses(locale),
    listCountries(db, locale),
    buildViews(REGION_VIEWS, { db, scope: access.scope, filters, now, ...(aggregate ? { aggregate } : {}) }),
    aggregate ? null : buildViews(REGION_FULL_VIEWS, { db, scope: access.scope, filters, now }),
  ]);
  return {
    suppressed: access.suppressed,
    aggregate,
    semesters: aggregate ? closedSemesters(now) : [],
    filters,
    query: aggregate ? aggregateQueryString(aggregate) : filtersToQuery(filters),
    tables: Object.fromEntries(REGION_VIEWS.map((id) => [id, localizeTable(tables[id], names)])) as RegionDashboard['tables'],
    workshops: full ? localizeTable(full['region-workshops'], names) : null,
    courses,
    sectors,
    countries,
    asOf: names.clock.dateTime(now),
  };
}

const COUNTRY_ACTION: Partial<Record<ViewId, Action>> = { 'refresher-people': 'reports.exportPeople', items: 'quiz.itemAnalysis', 'items-topics': 'quiz.itemAnalysis' };

export type ExportResult = { table: ReportTable; fileScope: string } | { status: 400 | 403 | 404; error: MessageKey };

/**
 * One view for a download, with the same rules as its page: a region view for the region's readers (observers get
 * the protected aggregates, whatever else the URL asks for), a country view for who may open that country.
 */
export async function loadExport(user: Actor | null | undefined, locale: Locale, view: string, params: URLSearchParams, now = Date.now()): Promise<ExportResult> {
  if (!isViewId(view)) return { status: 404, error: 'errors.notFound' };
  const db = getReportingDb();
  const fullOnly = (REGION_FULL_VIEWS as readonly string[]).includes(view);
  if ((REGION_VIEWS as readonly string[]).includes(view) || fullOnly) {
    const access = regionAccess(user);
    if (!access || (fullOnly && access.suppressed)) return { status: 403, error: 'errors.forbidden' };
    const aggregate = access.suppressed ? parseAggregateQuery(params, now) : null;
    const filters = aggregate ? {} : parseFilters(params);
    const [names, tables] = await Promise.all([reportNames(db, locale, { viewer: user }), buildViews([view], { db, scope: access.scope, filters, now, ...(aggregate ? { aggregate } : {}) })]);
    return { table: localizeTable(tables[view], names), fileScope: aggregate ? `region-${aggregate.semester.id}` : 'region' };
  }
  const countryCode = (params.get('country') ?? '').toUpperCase();
  const action = COUNTRY_ACTION[view] ?? 'dashboard.view';
  if (!can(user, action, { countryCode })) return { status: 403, error: 'errors.forbidden' };
  const scope = narrowScope(countryScope(user, action), countryCode);
  if (!scope) return { status: 403, error: 'errors.forbidden' };
  const courseId = params.get('course') ?? undefined;
  if ((view === 'items' || view === 'items-topics') && !courseId) return { status: 400, error: 'errors.invalidInput' };
  const topicOf = await topics(courseId);
  const [names, tables] = await Promise.all([reportNames(db, locale, { viewer: user, courseId }), buildViews([view], { db, scope, filters: parseFilters(params), now, courseId, topicOf })]);
  return { table: localizeTable(tables[view], names), fileScope: countryCode };
}

async function topics(courseId: string | undefined): Promise<((id: string) => string | undefined) | undefined> {
  if (!courseId) return undefined;
  const questions = new Map((await getBank(courseId)).questions.map((q) => [q.id, q.topic]));
  return (id) => questions.get(id);
}

/** The named refresher list of one country (committee, coordination), or null. */
export async function loadRefresherList(user: Actor | null | undefined, locale: Locale, countryCode: string, params: URLSearchParams, now = Date.now()) {
  const code = countryCode.toUpperCase();
  const scope = can(user, 'reports.exportPeople', { countryCode: code }) ? countryAccess(user, code) : null;
  if (!scope) return null;
  const db = getReportingDb();
  const filters = parseFilters(params);
  const [names, tables] = await Promise.all([reportNames(db, locale, { viewer: user }), buildViews(['refresher-people'], { db, scope, filters, now })]);
  return { code, countryName: names.country(code), query: filtersToQuery(filters), table: localizeTable(tables['refresher-people'], names) };
}

/** The item analysis of one course for one country (content owners in the committee, coordination), or null. */
export async function loadItemAnalysis(user: Actor | null | undefined, locale: Locale, countryCode: string, params: URLSearchParams, now = Date.now()) {
  const code = countryCode.toUpperCase();
  const scope = can(user, 'quiz.itemAnalysis', { countryCode: code }) ? countryAccess(user, code) : null;
  if (!scope) return null;
  const db = getReportingDb();
  const courses = await listCourses(locale);
  const requested = params.get('course');
  const courseId = courses.find((c) => c.id === requested)?.id ?? courses[0]?.id;
  const names = await reportNames(db, locale, { viewer: user, courseId });
  if (!courseId) return { code, countryName: names.country(code), courses, courseId, items: undefined, topics: undefined };
  const tables = await buildViews(['items', 'items-topics'], { db, scope, filters: {}, now, courseId, topicOf: await topics(courseId) });
  return { code, countryName: names.country(code), courses, courseId, items: localizeTable(tables.items, names), topics: localizeTable(tables['items-topics'], names) };
}

/** Who may read the semester report of `scopeParam` ('region' or a country code), and with what protection. */
export function semesterAccess(user: Actor | null | undefined, scopeParam: string): { scope: CountryScope; region: boolean; suppressed: boolean } | null {
  if (scopeParam === 'region') {
    const region = regionAccess(user);
    return region ? { scope: region.scope, region: true, suppressed: region.suppressed } : null;
  }
  const scope = countryAccess(user, scopeParam.toUpperCase());
  return scope ? { scope, region: false, suppressed: false } : null;
}

export interface SemesterReportPage {
  semester: Semester;
  semesters: Semester[];
  scopeValue: string;
  suppressed: boolean;
  heading: string;
  period: string;
  tables: ReportTable[];
  pdfHref: string;
}

/**
 * The semester report for the page and the PDF. Observers get closed semesters only (protected, as they stood at the
 * semester's end); the others any recent semester, the running one measured now.
 */
export async function loadSemesterReport(user: Actor | null | undefined, locale: Locale, params: URLSearchParams, now = Date.now()): Promise<SemesterReportPage | null> {
  const scopeParam = params.get('scope') ?? (user?.countryCode && user.role === 'committee' ? user.countryCode : 'region');
  const access = semesterAccess(user, scopeParam);
  if (!access) return null;
  const semester = access.suppressed ? parseAggregateQuery(params, now).semester : (parseSemester(params.get('semester')) ?? semesterOf(now));
  const db = getReportingDb();
  const names = await reportNames(db, locale, { viewer: user });
  const report = await semesterReport(db, access.scope, semester, { now, byCountry: access.region, institutions: !access.suppressed, aggregate: access.suppressed });
  const scopeValue = access.region ? 'region' : scopeParam.toUpperCase();
  const scopeName = access.region ? names.t('dashboard.report.region') : names.country(scopeValue);
  // The semester's bounds are UTC calendar days (src/server/reports/semester.ts); the moment it was made is the reader's.
  const date = clockFor(locale, 'UTC');
  return {
    semester,
    semesters: access.suppressed ? closedSemesters(now) : recentSemesters(now),
    scopeValue,
    suppressed: access.suppressed,
    heading: names.t('dashboard.report.heading', { semester: semester.id, scope: scopeName }),
    period: names.t('dashboard.report.period', { from: date.date(semester.start), to: date.date(semester.end - 1), date: names.clock.dateTime(now) }),
    tables: report.tables.map((table) => localizeTable(table, names)),
    pdfHref: `${localePath(locale, '/dashboard/report.pdf')}?scope=${scopeValue}&semester=${semester.id}`,
  };
}
