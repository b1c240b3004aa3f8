// An observer's figures under differencing attacks, over a seeded population. Every way of subtracting what is
// published — the per-track tables from the unfiltered one, a country from the region's total, the dashboard from the
// semester report, the same semester downloaded again later, a URL asking for an institution or a date range — must
// leave every hidden cell unknown (src/server/reports/aggregate.ts, protect.ts; docs/DASHBOARDS.md "Observers").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMMES, type ProgrammeId } from '../../db/schema.ts';
import { parseAggregateQuery, type AggregateQuery } from '../../src/server/reports/aggregate.ts';
import { semesterReport } from '../../src/server/reports/semester.ts';
import { parseSemester } from '../../src/server/reports/semesters.ts';
import { SUPPRESSED, type Term, type ViewTable } from '../../src/server/reports/table.ts';
import { buildViews, REGION_VIEWS } from '../../src/server/reports/views/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, DAY, derivable, NOW, revoke, takeCourse, type Equation } from './helpers/reports.ts';

const COURSE: Record<ProgrammeId, string> = { basico: 'basico-fundamentos', actualizacion: 'actualizacion-2026', especializado: 'especializado-investigacion', autocuidado: 'autocuidado', medios: 'medios-cobertura' };
const ALL = { kind: 'all' } as const;
const S = parseSemester('2025-2')!; // NOW is 15 June 2026: 2025-2 is the latest closed semester
let t: TestDatabase;
let countries: string[];
let revocable: number[] = [];

/** Counts per country × track with many small cells, some rows and columns nearly empty (a 9-country region). */
const PLAN: Record<string, number[]> = {
  BZ: [6, 0, 1, 2, 0],
  CR: [14, 3, 0, 7, 0],
  SV: [11, 6, 2, 5, 1],
  GT: [30, 11, 2, 25, 7],
  HN: [9, 4, 0, 0, 3],
  MX: [40, 12, 9, 15, 6],
  NI: [2, 0, 0, 0, 0],
  PA: [8, 5, 3, 1, 0],
  DO: [12, 0, 4, 6, 2],
};

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  countries = Object.keys(PLAN).sort();
  for (const [country, counts] of Object.entries(PLAN)) {
    const institution = await anyInstitution(db, country);
    for (const [k, n] of counts.entries()) {
      const programme = PROGRAMMES[k]!;
      for (let i = 0; i < n; i++) {
        const user = await addPerson(db, country, institution);
        const enrolledAt = S.start + (10 + i * 3) * DAY;
        // Three in four start, one in two completes (and is certified) within the semester; a few finish later.
        const completedAt = i % 2 === 0 ? enrolledAt + 20 * DAY : i % 5 === 1 ? S.end + 10 * DAY : null;
        const story = await takeCourse(db, { userId: user, countryCode: country, institutionId: institution, courseId: COURSE[programme], programme, enrolledAt, startedAt: i % 4 === 3 ? null : enrolledAt + DAY, completedAt: i % 4 === 3 ? null : completedAt });
        if (story.certificateId && revocable.length < 3 && country === 'GT') revocable.push(story.certificateId);
      }
    }
  }
});
afterAll(() => t.close());

const observerViews = (q: AggregateQuery) => buildViews(REGION_VIEWS, { db: t.db, scope: ALL, filters: {}, now: NOW, aggregate: q });

/** The row of a table for a country code, or the region's total row. */
function row(table: ViewTable, country: string | 'region'): (number | string | null | Term)[] {
  const r = table.rows.find((cells) => {
    const head = cells[0] as Term;
    return country === 'region' ? 'message' in head && head.message === 'dashboard.region.total' : 'country' in head && head.country === country;
  });
  if (!r) throw new Error(`${table.id}: no row for ${country}`);
  return r;
}
const at = (table: ViewTable, country: string | 'region', key: string) => row(table, country)[table.columns.findIndex((c) => c.key === key)] as number | string | null;

/** Everything an observer can read for semester S: the unfiltered tables, each track's, and the semester report. */
async function published() {
  const unfiltered = await observerViews({ semester: S });
  const byTrack = Object.fromEntries(await Promise.all(PROGRAMMES.map(async (p) => [p, await observerViews({ semester: S, programme: p })] as const)));
  const report = await semesterReport(t.db, ALL, S, { now: NOW, byCountry: true, institutions: false, aggregate: true });
  return { unfiltered, byTrack, report };
}

/**
 * The attacker's equations. Unknowns are the hidden cells, named by what they count (measure, country, track);
 * every shown figure is a constant. Identities: a country's tracks add up to its all-tracks figure, the countries add
 * up to the region's.
 */
function equations(p: Awaited<ReturnType<typeof published>>): { equations: Equation[]; hidden: Set<string> } {
  const value = new Map<string, number | string>();
  const hidden = new Set<string>();
  const put = (name: string, v: number | string | null) => {
    if (v === SUPPRESSED) hidden.add(name);
    else if (typeof v === 'number') {
      const known = value.get(name);
      if (typeof known === 'number') expect(known, `${name} shown twice with different values`).toBe(v);
      value.set(name, v);
    }
  };
  const places = [...countries, 'region'];
  for (const c of places) {
    for (const stage of ['enrolled', 'started', 'completed', 'certified']) {
      put(`${stage}|${c}|all`, at(p.unfiltered['region-funnel'], c, stage));
      for (const tr of PROGRAMMES) put(`${stage}|${c}|${tr}`, at(p.byTrack[tr]!['region-funnel'], c, stage));
    }
    put(`done|${c}|all`, at(p.unfiltered['region-completions'], c, 'all'));
    for (const tr of PROGRAMMES) {
      put(`done|${c}|${tr}`, at(p.unfiltered['region-completions'], c, tr));
      put(`done|${c}|${tr}`, at(p.byTrack[tr]!['region-completions'], c, tr));
      put(`cov|${c}|${tr}`, at(p.unfiltered['region-coverage'], c, `${tr}.holders`));
      put(`cov|${c}|${tr}`, at(p.byTrack[tr]!['region-coverage'], c, `${tr}.holders`));
      put(`cov|${c}|${tr}`, at(p.report.tables.find((x) => x.id === 'semester-countries')!, c, `${tr}.holders`));
    }
    const refreshers = p.report.tables.find((x) => x.id === 'semester-refreshers')!;
    put(`ref|${c}|expired`, at(refreshers, c, 'expired'));
    put(`ref|${c}|dueSoon`, at(refreshers, c, 'dueSoon'));
  }
  const coverage = p.report.tables.find((x) => x.id === 'semester-coverage')!;
  const completions = p.report.tables.find((x) => x.id === 'semester-completions')!;
  for (const [i, tr] of PROGRAMMES.entries()) {
    put(`cov|region|${tr}`, coverage.rows[i]![1] as number | string);
    put(`done|region|${tr}`, completions.rows[i]![1] as number | string);
  }
  const eqs: Equation[] = [];
  const term = (name: string, sign: number, e: Equation) => {
    const v = value.get(name);
    if (typeof v === 'number') e.constant -= sign * v;
    else e.terms.set(name, (e.terms.get(name) ?? 0) + sign);
  };
  const identity = (parts: string[], total: string) => {
    const e: Equation = { terms: new Map(), constant: 0 };
    parts.forEach((n) => term(n, 1, e));
    term(total, -1, e);
    eqs.push(e);
  };
  for (const measure of ['enrolled', 'started', 'completed', 'certified', 'done', 'cov']) {
    for (const c of places) identity(PROGRAMMES.map((tr) => `${measure}|${c}|${tr}`), `${measure}|${c}|all`);
    for (const k of [...PROGRAMMES, 'all']) identity(countries.map((c) => `${measure}|${c}|${k}`), `${measure}|region|${k}`);
  }
  for (const k of ['expired', 'dueSoon']) identity(countries.map((c) => `ref|${c}|${k}`), `ref|region|${k}`);
  for (const c of places) identity([`ref|${c}|expired`, `ref|${c}|dueSoon`], `ref|${c}|all`);
  return { equations: eqs, hidden };
}

describe('an observer differencing the published figures', () => {
  it('finds small cells hidden (there is something to protect)', async () => {
    const { hidden } = equations(await published());
    expect(hidden.has('enrolled|NI|actualizacion')).toBe(true);
    expect(hidden.has('enrolled|GT|especializado')).toBe(true); // 2 of Guatemala's 75
    expect(hidden.size).toBeGreaterThan(40);
  });

  it('cannot work out any hidden cell from the tables, the per-track tables, the totals and the semester report together', async () => {
    const { equations: eqs, hidden } = equations(await published());
    const found = [...derivable(eqs).keys()].filter((name) => hidden.has(name));
    expect(found).toEqual([]);
  });

  it('never sees a rate of a hidden count (a rate × its target gives the count back)', async () => {
    const { unfiltered } = await published();
    const coverage = unfiltered['region-coverage'];
    for (const r of coverage.rows)
      for (const tr of PROGRAMMES) {
        const holders = r[coverage.columns.findIndex((c) => c.key === `${tr}.holders`)];
        const rate = r[coverage.columns.findIndex((c) => c.key === `${tr}.rate`)];
        if (holders === SUPPRESSED) expect(rate).toBe(SUPPRESSED);
      }
    const funnel = unfiltered['region-funnel'];
    for (const r of funnel.rows) {
      const [enrolled, completed, rate] = ['enrolled', 'completed', 'completionRate'].map((k) => r[funnel.columns.findIndex((c) => c.key === k)]);
      if (enrolled === SUPPRESSED || completed === SUPPRESSED) expect(rate).toBe(SUPPRESSED);
    }
  });

  it('gets every country in every table, whatever the track (a missing row would say 0)', async () => {
    const { byTrack, unfiltered } = await published();
    for (const views of [unfiltered, ...Object.values(byTrack)])
      for (const table of Object.values(views)) {
        const keys = table.rows.map((r) => ('country' in (r[0] as Term) ? (r[0] as { country: string }).country : 'region'));
        // The split by mode is published for the region only (docs/DASHBOARDS.md, "Modes"): no country rows at all.
        if (table.id === 'modes-coverage' || table.id === 'modes-funnel') expect(keys.every((k) => k === 'region'), table.id).toBe(true);
        else expect(keys.sort(), table.id).toEqual([...countries, 'region'].sort());
      }
  });

  it('cannot ask for a range, an institution, a sector, a course or the running semester', async () => {
    const institution = await anyInstitution(t.db, 'GT');
    const plain = parseAggregateQuery(new URLSearchParams('semester=2025-2&track=basico'), NOW);
    expect(parseAggregateQuery(new URLSearchParams(`semester=2025-2&track=basico&institution=${institution}&sector=police&course=basico-fundamentos&from=2025-07&to=2025-08`), NOW)).toEqual(plain);
    // The running semester (2026-1) and a made-up one fall back to the latest closed semester.
    expect(parseAggregateQuery(new URLSearchParams('semester=2026-1'), NOW).semester.id).toBe('2025-2');
    expect(parseAggregateQuery(new URLSearchParams('semester=2030-1'), NOW).semester.id).toBe('2025-2');
    expect(parseAggregateQuery(new URLSearchParams('semester=2024-1'), NOW).semester.id).toBe('2024-1');
  });

  it('gets the same figures for a closed semester when it asks again after new events (nothing to subtract)', async () => {
    const before = await published();
    // After the semester: a revocation, a late completion of that cohort, a new enrolment.
    for (const id of revocable) await revoke(t.db, id, NOW - DAY);
    const gt = await anyInstitution(t.db, 'GT');
    await takeCourse(t.db, { userId: await addPerson(t.db, 'GT', gt), countryCode: 'GT', institutionId: gt, courseId: COURSE.especializado, programme: 'especializado', enrolledAt: NOW - 2 * DAY, startedAt: NOW - DAY, completedAt: NOW });
    expect(await published()).toEqual(before);
  });
});
