// Workshops on real libSQL temp databases: the credit rule at its edges, no double credit, idempotent close and
// attendance, country scoping, and the roster import that shows and skips bad rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, certificates, emailTokens, enrolments, institutions, mailOutbox, quizAttempts, reportHolders, users, workshopAttendance, workshopParticipants, workshops } from '../../db/schema.ts';
import { parseImportFile } from '../../src/server/admin/import.ts';
import { findCertificate, issueCertificate } from '../../src/server/learning/certificates.ts';
import { certificatePdf } from '../../src/server/learning/certificate-document.ts';
import { extractText } from 'unpdf';
import {
  addParticipants,
  closeWorkshop,
  commitRosterImport,
  createWorkshop,
  getRosterImportPreview,
  listOwnWorkshops,
  listWorkshops,
  loadSessions,
  markWorkshopHeld,
  recordAttendance,
  recordSessionAttendance,
  stageRosterImport,
  tallyAttendance,
  updateWorkshop,
  type WorkshopInput,
} from '../../src/server/workshops/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, institutionId, type TestActor } from './helpers/admin-people.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';

const { course } = fixtureCourse('fx-basico');
const COURSES = [course.id];
const NOW = Date.UTC(2026, 2, 10, 15); // 2026-03-10, after the workshop's days
const DAY = 86_400_000;

function input(overrides: Partial<WorkshopInput> = {}): WorkshopInput {
  return {
    countryCode: 'GT',
    titleEs: 'Taller Básico en Quetzaltenango',
    titleEn: 'Basic workshop in Quetzaltenango',
    courseSlug: course.id,
    mode: 'in_person',
    place: 'Sede del MP, salón 2',
    facilitators: 'Equipo de la comisión',
    capacity: 30,
    startsOn: '2026-03-02',
    endsOn: '2026-03-06',
    attendanceRulePercent: 80,
    requiresPostTest: false,
    // 2.3 h a day: 4 days of 5 are exactly 80 %, which a float comparison gets wrong (9.2·100 < 80·11.5).
    sessions: ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((day) => ({ day, hours: 2.3 })),
    institutionIds: [],
    ...overrides,
  };
}

describe('the attendance rule', () => {
  const days = [1, 2, 3, 4, 5].map((id) => ({ id, hours: 2.3 }));
  it('is met at exactly the rule (80 % of 11.5 h), counted in whole minutes', () => {
    const tally = tallyAttendance(days, new Set([1, 2, 3, 4]), 80);
    expect(tally).toEqual({ attendedMinutes: 552, totalMinutes: 690, percent: 80, met: true });
  });
  it('is not met a little below, and shows the percent rounded down', () => {
    const uneven = [{ id: 1, hours: 2.5 }, { id: 2, hours: 2.5 }, { id: 3, hours: 2.5 }, { id: 4, hours: 2.5 }, { id: 5, hours: 2 }];
    const tally = tallyAttendance(uneven, new Set([1, 2, 3, 5]), 80); // 9.5 of 12 h = 79.17 %
    expect(tally.met).toBe(false);
    expect(tally.percent).toBe(79);
  });
  it('is never met by a workshop without hours', () => {
    expect(tallyAttendance([], new Set(), 80).met).toBe(false);
  });
});

describe('workshops', () => {
  let t: TestDatabase;
  let committee: TestActor;
  let otherCommittee: TestActor;
  let coordinator: TestActor;
  let observer: TestActor;
  let mp: number;

  beforeEach(async () => {
    t = await createTestDatabase();
    committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT', name: 'Comité GT' });
    otherCommittee = await createPerson(t.db, { role: 'committee', countryCode: 'HN' });
    coordinator = await createPerson(t.db, { role: 'coordinator', countryCode: null, name: 'Coordinación' });
    observer = await createPerson(t.db, { role: 'observer', countryCode: null });
    mp = await institutionId(t.db, 'GT', 'MP');
  });
  afterEach(() => t.close());

  const official = (name: string, countryCode = 'GT') => createPerson(t.db, { role: 'learner', countryCode, name, institutionId: countryCode === 'GT' ? mp : null });

  /** A held GT workshop with these people on its roster. */
  async function heldWorkshop(people: TestActor[], overrides: Partial<WorkshopInput> = {}) {
    const { id } = await createWorkshop(t.db, committee, input(overrides), { courseIds: COURSES, now: NOW - 20 * DAY });
    if (people.length) await addParticipants(t.db, committee, id, people.map((p) => p.email), { now: NOW - 20 * DAY });
    await markWorkshopHeld(t.db, committee, id, { now: NOW });
    return id;
  }

  /** Ticks each person present on the first `days[person]` days of the workshop. */
  async function attend(workshopId: number, daysPresent: Map<TestActor, number>) {
    const sessions = await loadSessions(t.db, workshopId);
    for (const [index, session] of sessions.entries()) {
      const listed = [...daysPresent.keys()].map((p) => p.id);
      const present = [...daysPresent].filter(([, n]) => index < n).map(([p]) => p.id);
      await recordSessionAttendance(t.db, committee, { sessionId: session.id, listed, present, clientId: `sheet-${workshopId}-${index}`, now: NOW });
    }
  }

  describe('country scoping', () => {
    it('lets a committee create and see its own country’s workshops only, and the coordinator any and regional ones', async () => {
      const own = await createWorkshop(t.db, committee, input(), { courseIds: COURSES });
      await expect(createWorkshop(t.db, committee, input({ countryCode: 'HN' }), { courseIds: COURSES })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(createWorkshop(t.db, committee, input({ countryCode: null }), { courseIds: COURSES })).rejects.toMatchObject({ code: 'forbidden' });
      const hn = await createWorkshop(t.db, otherCommittee, input({ countryCode: 'HN', institutionIds: [] }), { courseIds: COURSES });
      const regional = await createWorkshop(t.db, coordinator, input({ countryCode: null }), { courseIds: COURSES });

      expect((await listWorkshops(t.db, committee)).map((w) => w.id)).toEqual([own.id]);
      expect((await listWorkshops(t.db, committee, { countryCode: 'HN' })).map((w) => w.id)).toEqual([own.id]);
      expect((await listWorkshops(t.db, coordinator)).map((w) => w.id).sort()).toEqual([own.id, hn.id, regional.id].sort());
      expect((await listWorkshops(t.db, coordinator, { countryCode: 'region' })).map((w) => w.id)).toEqual([regional.id]);
      await expect(listWorkshops(t.db, observer)).rejects.toMatchObject({ code: 'forbidden' });

      const hnPerson = await official('Persona HN', 'HN');
      await expect(addParticipants(t.db, committee, hn.id, [hnPerson.email])).rejects.toMatchObject({ code: 'forbidden' });
      await expect(updateWorkshop(t.db, committee, hn.id, input(), { courseIds: COURSES })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(markWorkshopHeld(t.db, otherCommittee, own.id)).rejects.toMatchObject({ code: 'forbidden' });
      const sessions = await loadSessions(t.db, own.id);
      await expect(recordSessionAttendance(t.db, otherCommittee, { sessionId: sessions[0]!.id, listed: [], present: [], clientId: 'abcdefgh12', now: NOW })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(closeWorkshop(t.db, otherCommittee, own.id, course)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('puts on a country’s roster only that country’s active accounts, and reports the other addresses', async () => {
      const { id } = await createWorkshop(t.db, committee, input(), { courseIds: COURSES, now: NOW - 20 * DAY });
      const ana = await official('Ana Pérez');
      const hnPerson = await official('Persona HN', 'HN');
      const result = await addParticipants(t.db, committee, id, [ana.email, hnPerson.email, 'nadie@example.org', ana.email.toUpperCase()], { now: NOW - 20 * DAY });
      expect(result).toEqual({ added: 1, alreadyOnRoster: 0, notFound: [hnPerson.email, 'nadie@example.org'] });
      expect(await addParticipants(t.db, committee, id, [ana.email])).toMatchObject({ added: 0, alreadyOnRoster: 1 });
    });

    it('refuses what the form cannot mean: days outside the dates, another country’s institution, an unknown course', async () => {
      await expect(createWorkshop(t.db, committee, input({ sessions: [{ day: '2026-03-09', hours: 3 }] }), { courseIds: COURSES })).rejects.toMatchObject({ code: 'invalid', key: 'workshops.error.sessionOutside' });
      const hnInstitution = (await t.db.select({ id: institutions.id }).from(institutions).where(eq(institutions.countryCode, 'HN')).limit(1))[0]!.id;
      await expect(createWorkshop(t.db, committee, input({ institutionIds: [mp, hnInstitution] }), { courseIds: COURSES })).rejects.toMatchObject({ key: 'workshops.error.institution' });
      await expect(createWorkshop(t.db, committee, input({ courseSlug: 'no-such-course' }), { courseIds: COURSES })).rejects.toMatchObject({ key: 'workshops.error.course' });
      await expect(createWorkshop(t.db, committee, input({ startsOn: '2026-02-30' }), { courseIds: COURSES })).rejects.toMatchObject({ key: 'workshops.error.dates' });
      expect(await t.db.select().from(workshops)).toHaveLength(0);
    });
  });

  describe('roster and attendance', () => {
    it('refuses a roster past capacity, whole', async () => {
      const { id } = await createWorkshop(t.db, committee, input({ capacity: 2 }), { courseIds: COURSES });
      const people = await Promise.all(['Ana Uno', 'Beto Dos', 'Carla Tres'].map((n) => official(n)));
      await expect(addParticipants(t.db, committee, id, people.map((p) => p.email))).rejects.toMatchObject({ code: 'conflict', key: 'workshops.roster.full' });
      expect(await t.db.select().from(workshopParticipants)).toHaveLength(0);
    });

    it('audits an addition once the workshop has begun, not one before', async () => {
      const { id } = await createWorkshop(t.db, committee, input(), { courseIds: COURSES });
      const early = await official('Ana Temprana');
      const late = await official('Luis Tardío');
      await addParticipants(t.db, committee, id, [early.email], { now: Date.UTC(2026, 2, 1) });
      await addParticipants(t.db, committee, id, [late.email], { now: Date.UTC(2026, 2, 3, 10) });
      const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.participant.lateAdd'));
      expect(audits.map((a) => (a.after as { userId: number }).userId)).toEqual([late.id]);
    });

    it('records a sheet once however often it is posted, and audits a correction with what it was', async () => {
      const ana = await official('Ana Pérez');
      const luis = await official('Luis Gómez');
      const id = await heldWorkshop([ana, luis]);
      const [first] = await loadSessions(t.db, id);
      const sheet = { sessionId: first!.id, listed: [ana.id, luis.id], present: [ana.id], clientId: 'sheet-0001', now: NOW };
      expect(await recordSessionAttendance(t.db, committee, sheet)).toEqual({ recorded: 2, corrected: 0, unchanged: 0, duplicate: 0 });
      expect(await recordSessionAttendance(t.db, committee, sheet)).toEqual({ recorded: 0, corrected: 0, unchanged: 0, duplicate: 2 });
      expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.attendance.correct'))).toHaveLength(0);

      const corrected = await recordSessionAttendance(t.db, committee, { ...sheet, present: [ana.id, luis.id], clientId: 'sheet-0002' });
      expect(corrected).toEqual({ recorded: 0, corrected: 1, unchanged: 1, duplicate: 0 });
      const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.attendance.correct'));
      expect(audit).toMatchObject({ actorId: committee.id, countryCode: 'GT', before: { userId: luis.id, present: false }, after: { userId: luis.id, present: true } });
      const rows = await t.db.select().from(workshopAttendance).where(eq(workshopAttendance.sessionId, first!.id));
      expect(rows.map((r) => [r.userId, r.present]).sort()).toEqual([[ana.id, true], [luis.id, true]].sort());
    });

    it('takes a self check-in through recordAttendance idempotently, for people on the roster and days that have come', async () => {
      const ana = await official('Ana Pérez');
      const stranger = await official('Sin Lista');
      const id = await heldWorkshop([ana]);
      const [first] = await loadSessions(t.db, id);
      const mark = { sessionId: first!.id, userId: ana.id, present: true, recordedBy: ana.id, clientId: 'qr-ana-0001', now: NOW };
      expect(await recordAttendance(t.db, mark)).toBe('recorded');
      expect(await recordAttendance(t.db, mark)).toBe('duplicate');
      expect(await recordAttendance(t.db, { ...mark, clientId: 'qr-ana-0002' })).toBe('unchanged');
      await expect(recordAttendance(t.db, { ...mark, userId: stranger.id, recordedBy: stranger.id, clientId: 'qr-x-000001' })).rejects.toMatchObject({ key: 'workshops.attendance.notOnRoster' });
      await expect(recordAttendance(t.db, { ...mark, clientId: 'qr-ana-0003', now: Date.UTC(2026, 2, 1) })).rejects.toMatchObject({ key: 'workshops.attendance.future' });
      await expect(recordAttendance(t.db, { ...mark, clientId: 'no' })).rejects.toMatchObject({ key: 'workshops.attendance.clientId' });
    });

    it('keeps a day that has attendance when the workshop is edited', async () => {
      const ana = await official('Ana Pérez');
      const id = await heldWorkshop([ana]);
      const [first] = await loadSessions(t.db, id);
      await recordSessionAttendance(t.db, committee, { sessionId: first!.id, listed: [ana.id], present: [ana.id], clientId: 'first-day-1', now: NOW });
      const edited = input({ sessions: input().sessions.slice(1) });
      await expect(updateWorkshop(t.db, committee, id, edited, { courseIds: COURSES })).rejects.toMatchObject({ key: 'workshops.error.sessionHasAttendance' });
      await updateWorkshop(t.db, committee, id, input({ sessions: input().sessions.slice(0, 4), capacity: 5 }), { courseIds: COURSES });
      expect(await loadSessions(t.db, id)).toHaveLength(4);
    });
  });

  describe('closing', () => {
    it('credits at exactly 80 % with an in-person certificate naming the workshop, and not at 60 %', async () => {
      const ana = await official('Ana Pérez');
      const luis = await official('Luis Gómez');
      const id = await heldWorkshop([ana, luis]);
      await attend(id, new Map([[ana, 4], [luis, 3]]));
      const result = await closeWorkshop(t.db, committee, id, course, { now: NOW });
      expect(result.outcomes).toMatchObject({ credited: 1, belowAttendance: 1 });
      const [cert] = await t.db.select().from(certificates).where(eq(certificates.userId, ana.id));
      expect(cert).toMatchObject({ deliveryMode: 'in_person', workshopId: id, courseId: course.id, courseMinutes: 690, countryCode: 'GT', institutionId: mp });
      // The course's own validity: 24 months from the close.
      expect(cert!.expiresAt!.toISOString().slice(0, 10)).toBe('2028-03-10');
      const [enrolment] = await t.db.select().from(enrolments).where(eq(enrolments.userId, ana.id));
      expect(enrolment).toMatchObject({ completedVia: 'workshop', courseId: course.id });
      expect(await t.db.select().from(certificates).where(eq(certificates.userId, luis.id))).toHaveLength(0);
      const parts = await t.db.select().from(workshopParticipants).where(eq(workshopParticipants.workshopId, id));
      expect(parts.find((p) => p.userId === ana.id)!.creditedAt).not.toBeNull();
      expect(parts.find((p) => p.userId === luis.id)!.creditedAt).toBeNull();
      // The dashboards' summary counts Ana as a holder, in the same transaction.
      expect(await t.db.select().from(reportHolders).where(and(eq(reportHolders.userId, ana.id), eq(reportHolders.track, 'basico')))).toHaveLength(1);
      const own = await listOwnWorkshops(t.db, ana);
      expect(own[0]).toMatchObject({ id, state: 'closed', certificateCode: cert!.code, tally: { percent: 80, met: true } });
      // What the certificate page, /verify and the PDF read: the mode and the workshop with its days.
      const view = await findCertificate(t.db, cert!.code);
      expect(view).toMatchObject({ deliveryMode: 'in_person', courseMinutes: 690, workshop: { title: { es: input().titleEs, en: input().titleEn }, startsOn: '2026-03-02', endsOn: '2026-03-06', mode: 'in_person' } });
    });

    it('prints the mode and the workshop on the certificate PDF, in both languages', async () => {
      const base = { holderName: 'Ana Pérez', institution: 'Ministerio Público', country: 'Guatemala', courseTitle: 'Fundamentos', programmeTitle: 'Básico', courseVersion: '1.0', minutes: 690, issuedOn: '10 de marzo de 2026', validUntil: '10 de marzo de 2028', issuingBody: null, code: 'ABCD-EFGH-JKMN-PQRS', verifyUrl: 'https://capacita.example.org/verify/ABCD-EFGH-JKMN-PQRS', status: 'valid' as const, revision: 1, revisedOn: null };
      const textOf = async (bytes: Uint8Array) => (await extractText(new Uint8Array(bytes), { mergePages: true })).text.replace(/\s+/g, ' ');
      const es = await certificatePdf({ ...base, locale: 'es', delivery: 'in_person', workshop: { title: input().titleEs, dates: '2 mar 2026 – 6 mar 2026' } });
      expect(await textOf(es)).toContain('Modalidad: presencial · Taller «Taller Básico en Quetzaltenango», 2 mar 2026 – 6 mar 2026');
      expect(await textOf(es)).toContain('Carga horaria: 11 h 30 min');
      const en = await textOf(await certificatePdf({ ...base, locale: 'en', delivery: 'online_live', workshop: { title: input().titleEn, dates: '2 Mar 2026 – 6 Mar 2026' } }));
      expect(en).toContain('Mode: live online · Workshop "Basic workshop in Quetzaltenango", 2 Mar 2026 – 6 Mar 2026');
      expect(await textOf(await certificatePdf({ ...base, locale: 'es' }))).toContain('Modalidad: en línea');
    });

    it('gives no second credit to someone who completed the course online, and completes an open online enrolment in place', async () => {
      const online = await official('Ya En Línea');
      const started = await official('Empezó En Línea');
      const done = await t.db.transaction(async (tx) => {
        const [row] = await tx.insert(enrolments).values({ userId: online.id, courseId: course.id, programme: 'basico', countryCode: 'GT', institutionId: mp, enrolledAt: new Date(NOW - 90 * DAY), completedAt: new Date(NOW - 60 * DAY) }).returning();
        await issueCertificate(tx, row!, course, new Date(NOW - 60 * DAY));
        const [open] = await tx.insert(enrolments).values({ userId: started.id, courseId: course.id, programme: 'basico', countryCode: 'GT', institutionId: mp, enrolledAt: new Date(NOW - 30 * DAY), startedAt: new Date(NOW - 29 * DAY) }).returning();
        return open!.id;
      });
      const id = await heldWorkshop([online, started]);
      await attend(id, new Map([[online, 5], [started, 5]]));
      const result = await closeWorkshop(t.db, committee, id, course, { now: NOW });
      expect(result.outcomes).toMatchObject({ credited: 1, alreadyHeld: 1 });
      expect(await t.db.select().from(certificates).where(eq(certificates.userId, online.id))).toHaveLength(1);
      expect(await t.db.select().from(enrolments).where(eq(enrolments.userId, online.id))).toHaveLength(1);
      const startedRows = await t.db.select().from(enrolments).where(eq(enrolments.userId, started.id));
      expect(startedRows).toHaveLength(1);
      expect(startedRows[0]).toMatchObject({ id: done, completedVia: 'workshop' });
      const parts = await t.db.select().from(workshopParticipants).where(eq(workshopParticipants.workshopId, id));
      expect(parts.every((p) => p.creditedAt !== null)).toBe(true);
    });

    it('is idempotent: a second close, or two at once, credit each person once', async () => {
      const people = await Promise.all(['Ana Uno', 'Beto Dos', 'Carla Tres'].map((n) => official(n)));
      const id = await heldWorkshop(people);
      await attend(id, new Map(people.map((p) => [p, 5])));
      const [a, b] = await Promise.all([closeWorkshop(t.db, committee, id, course, { now: NOW }), closeWorkshop(t.db, committee, id, course, { now: NOW })]);
      expect([a.alreadyClosed, b.alreadyClosed].sort()).toEqual([false, true]);
      const again = await closeWorkshop(t.db, committee, id, course, { now: NOW + DAY });
      expect(again).toMatchObject({ alreadyClosed: true, outcomes: { credited: 3 } });
      const [{ n }] = await t.db.select({ n: sql<number>`count(*)` }).from(certificates);
      expect(n).toBe(3);
      expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.close'))).toHaveLength(1);
      await expect(recordSessionAttendance(t.db, committee, { sessionId: (await loadSessions(t.db, id))[0]!.id, listed: [], present: [], clientId: 'after-close', now: NOW })).rejects.toMatchObject({ key: 'workshops.error.closed' });
      await expect(addParticipants(t.db, committee, id, ['x@example.org'])).rejects.toMatchObject({ key: 'workshops.error.closed' });
    });

    it('asks for the post-test when the workshop requires it: a quiz passed since the first day', async () => {
      const tested = await official('Con Examen');
      const untested = await official('Sin Examen');
      const early = await official('Examen Anterior');
      const id = await heldWorkshop([tested, untested, early], { requiresPostTest: true });
      await attend(id, new Map([[tested, 5], [untested, 5], [early, 5]]));
      for (const [person, submitted] of [[tested, Date.UTC(2026, 2, 7)], [early, Date.UTC(2026, 1, 20)]] as const) {
        const [e] = await t.db.insert(enrolments).values({ userId: person.id, courseId: course.id, programme: 'basico', countryCode: 'GT', enrolledAt: new Date(submitted - DAY) }).returning();
        await t.db.insert(quizAttempts).values({ enrolmentId: e!.id, userId: person.id, courseId: course.id, paper: [], startedAt: new Date(submitted - 600_000), submittedAt: new Date(submitted), score: 4, maxScore: 4, passed: true });
      }
      const result = await closeWorkshop(t.db, committee, id, course, { now: NOW });
      expect(result.outcomes).toMatchObject({ credited: 1, noPostTest: 2 });
      expect(result.people.find((p) => p.userId === tested.id)!.outcome).toBe('credited');
    });

    it('closes only a held workshop', async () => {
      const { id } = await createWorkshop(t.db, committee, input(), { courseIds: COURSES });
      await expect(closeWorkshop(t.db, committee, id, course, { now: NOW })).rejects.toMatchObject({ code: 'conflict', key: 'workshops.close.notHeld' });
    });
  });

  describe('roster import', () => {
    it('shows and skips bad rows, adds existing accounts, invites the new people, and commits a file once', async () => {
      const existing = await official('Ya Registrada');
      const { id } = await createWorkshop(t.db, committee, input(), { courseIds: COURSES, now: NOW - 20 * DAY });
      const lines = ['nombre,correo,institucion'];
      for (let i = 1; i <= 17; i++) lines.push(`Persona Número${'abcdefghijklmnopq'[i - 1]} Prueba,persona${i}@mp.gob.gt,MP`);
      lines.push('Sin Correo,no-es-un-correo,MP');
      lines.push('Institución Desconocida,desconocida@x.gt,Ministerio Inexistente');
      lines.push(`Ya Registrada,${existing.email},MP`);
      const rows = await parseImportFile(new TextEncoder().encode(lines.join('\n')), 'lista.csv');
      const { batchId } = await stageRosterImport(t.db, committee, id, { fileName: 'lista.csv', rows });
      const preview = await getRosterImportPreview(t.db, committee, id, batchId);
      expect(preview.counts).toEqual({ new: 17, existing: 1, onRoster: 0, error: 2 });
      expect(preview.rows.filter((r) => r.status === 'error').map((r) => r.line)).toEqual([19, 20]);
      await expect(getRosterImportPreview(t.db, otherCommittee, id, batchId)).rejects.toMatchObject({ code: 'forbidden' });

      const result = await commitRosterImport(t.db, committee, id, batchId, { origin: 'http://capacita.test', now: NOW - 19 * DAY });
      expect(result).toEqual({ created: 17, added: 18, alreadyImported: false });
      expect(await t.db.select().from(workshopParticipants).where(eq(workshopParticipants.workshopId, id))).toHaveLength(18);
      expect(await t.db.select().from(emailTokens)).toHaveLength(17);
      expect(await t.db.select().from(mailOutbox)).toHaveLength(17);
      expect(await t.db.select().from(users).where(eq(users.emailKey, 'no-es-un-correo'))).toHaveLength(0);

      // The same file again, staged anew: already imported for this workshop, nothing written twice.
      const second = await stageRosterImport(t.db, committee, id, { fileName: 'lista.csv', rows });
      expect(await commitRosterImport(t.db, committee, id, second.batchId, { origin: 'http://capacita.test' })).toMatchObject({ alreadyImported: true, added: 0 });
      expect(await t.db.select().from(mailOutbox)).toHaveLength(17);
    });

    it('rolls the whole import back when the roster would pass capacity', async () => {
      const { id } = await createWorkshop(t.db, committee, input({ capacity: 2 }), { courseIds: COURSES });
      const rows = await parseImportFile(new TextEncoder().encode('nombre,correo,institucion\nAna Uno,ana1@mp.gob.gt,MP\nBeto Dos,beto2@mp.gob.gt,MP\nCarla Tres,carla3@mp.gob.gt,MP\n'), 'tres.csv');
      const { batchId } = await stageRosterImport(t.db, committee, id, { fileName: 'tres.csv', rows });
      await expect(commitRosterImport(t.db, committee, id, batchId, { origin: 'http://capacita.test' })).rejects.toMatchObject({ key: 'workshops.roster.full' });
      expect(await t.db.select().from(users).where(eq(users.emailKey, 'ana1@mp.gob.gt'))).toHaveLength(0);
      expect(await t.db.select().from(mailOutbox)).toHaveLength(0);
    });
  });
});
