import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates } from '../../db/schema.ts';
import { audienceOf, checkEnrolment, enrol, learningRecordFrom, planEnrolment, refresherStatus, REFRESHER_NOTICE_DAYS, type CertificateRecord, type Person } from '../../src/server/learning/enrolment.ts';
import type { Course } from '../../src/server/learning/catalog.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const DAY = 86_400_000;
const course = (programme: Course['programme'], prerequisites: string[] = []) => ({ programme, prerequisites });
const person = (role: Person['role'], specialistStatus: Person['specialistStatus'] = 'none', active = true): Person => ({ role, specialistStatus, active });
const cert = (programme: Course['programme'], issuedAt: Date, expiresAt: Date | null, revokedAt: Date | null = null, courseId = `${programme}-course`): CertificateRecord => ({ courseId, programme, issuedAt, expiresAt, revokedAt });
const none = learningRecordFrom([]);
const withBasico = learningRecordFrom([cert('basico', new Date('2025-01-01'), new Date('2027-01-01'), null, 'basico-fundamentos')]);
const codes = (d: ReturnType<typeof checkEnrolment>) => (d.allowed ? [] : d.reasons.map((r) => r.code));

describe('who counts as what', () => {
  it('counts learner, specialist, committee, coordinator and admin as officials', () => {
    for (const role of ['learner', 'specialist', 'committee', 'coordinator', 'admin'] as const) expect(audienceOf(role)).toBe('official');
    expect(audienceOf('journalist')).toBe('journalist');
    expect(audienceOf('observer')).toBe('none');
  });
});

describe('enrolment rules per track', () => {
  it('opens Básico to every official and to journalists', () => {
    for (const role of ['learner', 'specialist', 'committee', 'coordinator', 'admin', 'journalist'] as const) expect(checkEnrolment(person(role), course('basico'), none)).toEqual({ allowed: true });
  });
  it('opens Autocuidado to officials only', () => {
    expect(checkEnrolment(person('learner'), course('autocuidado'), none).allowed).toBe(true);
    expect(checkEnrolment(person('committee'), course('autocuidado'), none).allowed).toBe(true);
    expect(codes(checkEnrolment(person('journalist'), course('autocuidado'), none))).toEqual(['audience']);
  });
  it('opens Medios to journalists and officials', () => {
    expect(checkEnrolment(person('journalist'), course('medios'), none).allowed).toBe(true);
    expect(checkEnrolment(person('learner'), course('medios'), none).allowed).toBe(true);
  });
  it('never lets observers or deactivated people enrol', () => {
    for (const p of ['basico', 'medios', 'autocuidado', 'actualizacion', 'especializado'] as const) {
      expect(codes(checkEnrolment(person('observer'), course(p), withBasico))).toEqual(['observer']);
      expect(codes(checkEnrolment(person('learner', 'none', false), course(p), withBasico))).toEqual(['inactive']);
    }
  });
  it('requires a completed Básico for Actualización', () => {
    expect(codes(checkEnrolment(person('learner'), course('actualizacion'), none))).toEqual(['needsBasico']);
    expect(checkEnrolment(person('learner'), course('actualizacion'), withBasico).allowed).toBe(true);
    // An expired Básico still counts as completed; a revoked one does not.
    const expired = learningRecordFrom([cert('basico', new Date('2020-01-01'), new Date('2022-01-01'))]);
    expect(checkEnrolment(person('learner'), course('actualizacion'), expired).allowed).toBe(true);
    const revoked = learningRecordFrom([cert('basico', new Date('2025-01-01'), null, new Date('2025-02-01'))]);
    expect(codes(checkEnrolment(person('learner'), course('actualizacion'), revoked))).toEqual(['needsBasico']);
    expect(codes(checkEnrolment(person('journalist'), course('actualizacion'), withBasico))).toEqual(['audience']);
  });
  it('requires Básico AND an approved specialist membership for Especializado, naming both when both are missing', () => {
    expect(codes(checkEnrolment(person('learner'), course('especializado'), none))).toEqual(['needsBasico', 'needsSpecialist']);
    expect(codes(checkEnrolment(person('learner', 'requested'), course('especializado'), withBasico))).toEqual(['needsSpecialist']);
    expect(checkEnrolment(person('learner', 'approved'), course('especializado'), withBasico).allowed).toBe(true);
    expect(checkEnrolment(person('specialist', 'approved'), course('especializado'), withBasico).allowed).toBe(true);
    expect(codes(checkEnrolment(person('specialist', 'approved'), course('especializado'), none))).toEqual(['needsBasico']);
  });
  it('enforces listed prerequisites, naming each missing course', () => {
    const decision = checkEnrolment(person('learner'), course('autocuidado', ['basico-fundamentos', 'otro']), withBasico);
    expect(decision).toEqual({ allowed: false, reasons: [{ code: 'prerequisite', courseId: 'otro' }] });
  });
});

describe('refresher due dates', () => {
  const issued = new Date('2024-03-15T10:00:00Z');
  const expires = new Date('2026-03-15T10:00:00Z');
  const certs = [cert('basico', issued, expires)];
  const noticeFrom = new Date(expires.getTime() - REFRESHER_NOTICE_DAYS * DAY);

  it('is not due before the notice window and due from its first millisecond', () => {
    expect(refresherStatus(certs, new Date(noticeFrom.getTime() - 1))).toEqual({ state: 'current', dueDate: expires });
    expect(refresherStatus(certs, noticeFrom)).toEqual({ state: 'due', dueDate: expires });
    expect(refresherStatus(certs, expires)).toEqual({ state: 'due', dueDate: expires });
    expect(refresherStatus(certs, new Date(expires.getTime() + 365 * DAY))).toEqual({ state: 'due', dueDate: expires });
  });
  it('follows the LAST Básico/Actualización certificate', () => {
    const renewed = [...certs, cert('actualizacion', new Date('2026-02-01T00:00:00Z'), new Date('2028-02-01T00:00:00Z'))];
    expect(refresherStatus(renewed, new Date('2026-03-20T00:00:00Z'))).toEqual({ state: 'current', dueDate: new Date('2028-02-01T00:00:00Z') });
  });
  it('ignores other programmes, revoked certificates, and never falls due without expiry', () => {
    expect(refresherStatus([cert('medios', issued, expires)], new Date('2030-01-01'))).toEqual({ state: 'none' });
    expect(refresherStatus([cert('basico', issued, expires, new Date('2024-04-01'))], new Date('2030-01-01'))).toEqual({ state: 'none' });
    expect(refresherStatus([cert('basico', issued, null)], new Date('2099-01-01'))).toEqual({ state: 'current', dueDate: null });
  });
  it('plans a new refresher cycle only when due', () => {
    const done = [{ id: 1, cycle: 1, completedAt: new Date('2024-01-01') }];
    expect(planEnrolment({ programme: 'actualizacion' }, done, { state: 'due', dueDate: expires })).toEqual({ kind: 'new', cycle: 2 });
    expect(planEnrolment({ programme: 'actualizacion' }, done, { state: 'current', dueDate: expires })).toEqual({ kind: 'alreadyCompleted' });
    expect(planEnrolment({ programme: 'basico' }, done, { state: 'due', dueDate: expires })).toEqual({ kind: 'alreadyCompleted' });
    expect(planEnrolment({ programme: 'basico' }, [{ id: 7, cycle: 1, completedAt: null }], { state: 'none' })).toEqual({ kind: 'resume', enrolmentId: 7 });
  });
});

describe('enrol (database)', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  it('enrols once, returns the same enrolment twice, and refuses what is missing', async () => {
    const { course: basico } = fixtureCourse('fx-basico');
    const { course: refresher } = fixtureCourse('fx-actualizacion');
    const learner = await createPerson(t.db);
    const first = await enrol(t.db, learner, basico);
    expect(first).toMatchObject({ ok: true, cycle: 1, created: true });
    const second = await enrol(t.db, learner, basico);
    expect(second).toMatchObject({ ok: true, created: false, enrolmentId: first.ok ? first.enrolmentId : -1 });
    const refused = await enrol(t.db, learner, refresher);
    expect(refused).toEqual({ ok: false, error: 'locked', reasons: [{ code: 'needsBasico' }, { code: 'prerequisite', courseId: 'fx-basico' }] });
    const observer = await createPerson(t.db, { role: 'observer' });
    expect(await enrol(t.db, observer, basico)).toEqual({ ok: false, error: 'locked', reasons: [{ code: 'observer' }] });
  });

  it('starts a new refresher cycle once the refresher is due again', async () => {
    const { course: refresher } = fixtureCourse('fx-actualizacion');
    const learner = await createPerson(t.db);
    const base = { userId: learner.id, holderName: learner.name, courseVersion: '1.0' };
    await t.db.insert(certificates).values({ ...base, code: 'AAAA-BBBB-CCCC-0001'.replace('0', 'D').replace('1', 'E'), courseId: 'fx-basico', programme: 'basico', issuedAt: new Date('2023-01-01'), expiresAt: new Date('2025-01-01') });
    const r1 = await enrol(t.db, learner, refresher, new Date('2024-12-01'));
    expect(r1).toMatchObject({ ok: true, cycle: 1 });
  });
});
