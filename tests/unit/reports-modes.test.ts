// The dashboards' split by mode (online course / workshop / both) on a hand-made population whose right answers are
// worked out in the comments, and the workshop list with its attendance figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageReport } from '../../src/server/reports/coverage.ts';
import { funnelByMode, holdersByMode } from '../../src/server/reports/modes.ts';
import { semesterOf, semesterReport } from '../../src/server/reports/semester.ts';
import { SUPPRESSED } from '../../src/server/reports/table.ts';
import { buildViews } from '../../src/server/reports/views/index.ts';
import { protectedSplit } from '../../src/server/reports/views/modes-shared.ts';
import { workshopFigures } from '../../src/server/reports/workshops.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, clearTargets, DAY, institutionId, NOW, setTarget, takeCourse } from './helpers/reports.ts';
import { addParticipant, createWorkshopRow, credit, markPresent } from './helpers/workshops.ts';

const GT = { kind: 'country', countryCode: 'GT' } as const;
const HN = { kind: 'country', countryCode: 'HN' } as const;
const COURSE = 'basico-fundamentos';
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await clearTargets(db);
  const igm = await institutionId(db, 'GT', 'IGM');
  const inm = await institutionId(db, 'HN', 'INM');
  await setTarget(db, igm, 'basico', 10);
  const person = () => addPerson(db, 'GT', igm);
  const online = (userId: number) =>
    takeCourse(db, { userId, countryCode: 'GT', institutionId: igm, courseId: COURSE, programme: 'basico', enrolledAt: NOW - 60 * DAY, startedAt: NOW - 59 * DAY, completedAt: NOW - 50 * DAY });
  const staff = await person();

  // A1–A3: the course online, certified → online 3.
  for (let i = 0; i < 3; i++) await online(await person());

  // W1, in person, two days of 4 h (8 h; the rule: 80 % = 6.4 h), closed 6 May.
  const w1 = await createWorkshopRow(db, { countryCode: 'GT', courseId: COURSE, sessions: [['2026-05-04', 4], ['2026-05-05', 4]], createdBy: staff, state: 'closed', title: 'W1' });
  const closed = Date.UTC(2026, 4, 6, 12);
  const attend = async (userId: number, days: number[]) => {
    await addParticipant(db, w1.id, userId, staff, Date.UTC(2026, 4, 1));
    for (const d of days) await markPresent(db, w1.sessionIds[d]!, userId, staff, Date.UTC(2026, 4, 4 + d, 17));
  };
  const credited = (userId: number, alreadyHeld = false) => credit(db, { workshopId: w1.id, userId, countryCode: 'GT', institutionId: igm, courseId: COURSE, programme: 'basico', mode: 'in_person', at: closed, alreadyHeld });
  // B1, B2: only the workshop, both days, credited with a "presencial" certificate → in person 2.
  for (let i = 0; i < 2; i++) {
    const b = await person();
    await attend(b, [0, 1]);
    await credited(b);
  }
  // C1: the course online first, then the workshop (credited, no second certificate) → both 1.
  const c1 = await person();
  await online(c1);
  await attend(c1, [0, 1]);
  await credited(c1, true);
  // D1: started online, never finished; the workshop completed that enrolment → coverage: in person (not completed
  // online); funnel: both (enrolled online and took the workshop).
  const d1 = await person();
  await takeCourse(db, { userId: d1, countryCode: 'GT', institutionId: igm, courseId: COURSE, programme: 'basico', enrolledAt: NOW - 70 * DAY, startedAt: NOW - 69 * DAY });
  await attend(d1, [0, 1]);
  await credited(d1);
  // E1: one day of two (4 h < 6.4 h): not credited, holds nothing.
  const e1 = await person();
  await attend(e1, [0]);

  // W2, live online, one 3 h session: F1 credited (certificate 'online' naming the workshop) → a workshop: in person.
  const w2 = await createWorkshopRow(db, { countryCode: 'GT', courseId: COURSE, mode: 'online_live', sessions: [['2026-05-20', 3]], createdBy: staff, state: 'closed', title: 'W2' });
  const f1 = await person();
  await addParticipant(db, w2.id, f1, staff, Date.UTC(2026, 4, 10));
  await markPresent(db, w2.sessionIds[0]!, f1, staff, Date.UTC(2026, 4, 20, 15));
  await credit(db, { workshopId: w2.id, userId: f1, countryCode: 'GT', institutionId: igm, courseId: COURSE, programme: 'basico', mode: 'online_live', at: Date.UTC(2026, 4, 21) });

  // W3, planned for July (after NOW): one participant, nothing delivered yet.
  const w3 = await createWorkshopRow(db, { countryCode: 'GT', courseId: COURSE, sessions: [['2026-07-01', 6]], createdBy: staff, state: 'planned', title: 'W3' });
  await addParticipant(db, w3.id, await person(), staff, NOW - DAY);

  // G1: Honduras, online; never in Guatemala's figures.
  const g1 = await addPerson(db, 'HN', inm);
  await takeCourse(db, { userId: g1, countryCode: 'HN', institutionId: inm, courseId: COURSE, programme: 'basico', enrolledAt: NOW - 60 * DAY, startedAt: NOW - 59 * DAY, completedAt: NOW - 50 * DAY });
});

afterAll(() => t.close());

const sumModes = (rows: { mode: string; n: number }[]) => Object.fromEntries(['online', 'in_person', 'both'].map((m) => [m, rows.filter((r) => r.mode === m).reduce((s, r) => s + r.n, 0)]));

describe('coverage by mode', () => {
  it('splits Guatemala’s Básico holders into online 3, workshop 4 (B1, B2, D1, F1), both 1 (C1)', async () => {
    const rows = await holdersByMode(t.db, GT, { programme: 'basico' }, { at: NOW });
    expect(sumModes(rows)).toEqual({ online: 3, in_person: 4, both: 1 });
  });

  it('adds up to the coverage table’s holders (8 of 10) — separately and together agree', async () => {
    const report = await coverageReport(t.db, GT, {}, { now: NOW });
    expect(report.total.basico).toMatchObject({ holders: 8, target: 10 });
    const { 'modes-coverage': table } = await buildViews(['modes-coverage'], { db: t.db, scope: GT, filters: {}, now: NOW });
    expect(table.rows).toEqual([[{ track: 'basico' }, 3, 4, 1, 8, 10, 0.8]]);
  });

  it('the mode filter narrows every coverage table to one mode', async () => {
    for (const [mode, holders] of [['online', 3], ['in_person', 4], ['both', 1]] as const) {
      const report = await coverageReport(t.db, GT, { mode }, { now: NOW });
      expect(report.total.basico?.holders, mode).toBe(holders);
    }
  });

  it('counts nobody of another country', async () => {
    expect(sumModes(await holdersByMode(t.db, HN, {}, { at: NOW }))).toEqual({ online: 1, in_person: 0, both: 0 });
  });

  it('counts at the moment measured: nobody on 1 April, F1 not yet on 10 May', async () => {
    const rows = await holdersByMode(t.db, GT, {}, { at: Date.UTC(2026, 3, 1) });
    expect(sumModes(rows)).toEqual({ online: 0, in_person: 0, both: 0 }); // A1–A3 and C1 completed on 26 April
    const may = await holdersByMode(t.db, GT, {}, { at: Date.UTC(2026, 4, 10) });
    expect(sumModes(may)).toEqual({ online: 3, in_person: 3, both: 1 }); // F1 was credited on 21 May
  });
});

describe('funnel by mode', () => {
  // Person × course: online A1–A3 (3 enrolled, 3 started, 3 completed, 3 certified); workshop B1, B2, E1, F1 and
  // W3's participant (5 registered, 4 attended, 3 credited, 3 certified by the workshop); both C1, D1 (2, 2, 2, 2).
  it('counts each person × course once, in one mode', async () => {
    const { 'modes-funnel': table } = await buildViews(['modes-funnel'], { db: t.db, scope: GT, filters: {}, now: NOW });
    expect(table.rows.map((r) => r.slice(1, 5))).toEqual([
      [3, 3, 3, 3],
      [5, 4, 3, 3],
      [2, 2, 2, 2],
      [10, 9, 8, 8],
    ]);
    expect(table.rows[3]![5]).toBeCloseTo(8 / 10);
  });

  it('the period keeps the cohort: enrolments made and workshops starting in May 2026 only', async () => {
    // Online enrolments were made in April (A1–A3, C1) and early April (D1); W1 and W2 started in May.
    const rows = await funnelByMode(t.db, GT, {}, { start: Date.UTC(2026, 4, 1), end: Date.UTC(2026, 5, 1) });
    const by = (m: string) => rows.filter((r) => r.mode === m).reduce((s, r) => s + r.enrolled, 0);
    expect([by('online'), by('in_person'), by('both')]).toEqual([0, 6, 0]); // B1, B2, C1, D1, E1 in W1; F1 in W2
  });

  it('with a mode filter the per-course funnel shows that mode', async () => {
    const { funnel } = await buildViews(['funnel'], { db: t.db, scope: GT, filters: { mode: 'in_person' }, now: NOW });
    expect(funnel.rows).toEqual([[{ course: COURSE }, { track: 'basico' }, 5, 4, 3, 3, 0.6, null]]);
    expect(funnel.note).toEqual({ message: 'dashboard.mode.funnelNote' });
  });
});

describe('workshop list', () => {
  it('gives participants, attendance by the rule, hours delivered and credit per workshop', async () => {
    const list = await workshopFigures(t.db, GT, {}, NOW);
    const pick = (title: string) => list.find((w) => w.titleEs === `Taller ${title}`)!;
    // W1: 5 participants; B1, B2, C1, D1 present 8 h ≥ 6.4 h, E1 4 h → 4; 8 h delivered; 4 credited.
    expect(pick('W1')).toMatchObject({ participants: 5, attendedRule: 4, hoursDelivered: 8, hoursPlanned: 8, credited: 4 });
    expect(pick('W2')).toMatchObject({ participants: 1, attendedRule: 1, hoursDelivered: 3, credited: 1 });
    expect(pick('W3')).toMatchObject({ participants: 1, attendedRule: 0, hoursDelivered: 0, hoursPlanned: 6, credited: 0 });
    expect(await workshopFigures(t.db, HN, {}, NOW)).toEqual([]);
  });
});

describe('semester report', () => {
  it('carries the split at the semester’s end (the running one: now)', async () => {
    const report = await semesterReport(t.db, GT, semesterOf(NOW), { now: NOW });
    const table = report.tables.find((x) => x.id === 'semester-modes')!;
    expect(table.rows).toEqual([[{ track: 'basico' }, 3, 4, 1, 8, 10, 0.8]]);
  });

  it('observers get the region’s split only, hidden whole when any mode is small', async () => {
    const previous = { ...semesterOf(NOW) };
    const report = await semesterReport(t.db, { kind: 'all' }, previous, { now: previous.end + DAY, aggregate: true });
    const table = report.tables.find((x) => x.id === 'semester-modes')!;
    const basico = table.rows.find((r) => (r[0] as { track: string }).track === 'basico')!;
    // 8 in Guatemala + 1 in Honduras = 9 in the region: shown; its modes (3 + 1, 4, 1) are under 5 → all hidden.
    expect(basico.slice(1, 5)).toEqual([SUPPRESSED, SUPPRESSED, SUPPRESSED, 9]);
    expect(table.rows.every((r) => r.length === 7)).toBe(true); // one row per track, no country
  });
});

describe('protectedSplit', () => {
  it('shows the three only when each is at least 5 and the total is shown', () => {
    expect(protectedSplit({ online: 7, in_person: 5, both: 6 }, 18)).toEqual([7, 5, 6]);
    expect(protectedSplit({ online: 7, in_person: 4, both: 6 }, 17)).toEqual([SUPPRESSED, SUPPRESSED, SUPPRESSED]);
    expect(protectedSplit({ online: 7, in_person: 5, both: 6 }, SUPPRESSED)).toEqual([SUPPRESSED, SUPPRESSED, SUPPRESSED]);
  });
});
