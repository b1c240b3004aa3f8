import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { activityResults, activityState, auditLog, certificates, enrolments, mailOutbox, offlineSyncReceipts, sessions, users, workshopAttendance, workshopParticipants, xapiForwardQueue, xapiStatements } from '../../db/schema.ts';
import { auditCsv, listAudit } from '../../src/server/audit.ts';
import { createInstitution, setInstitutionActive, setInstitutionTargets, updateInstitution, updateNationalBody } from '../../src/server/admin/institutions.ts';
import { inviteUser } from '../../src/server/admin/invitations.ts';
import { changeInstitution, changeRole, decideSpecialistRequest, revokeCertificate, setUserActive } from '../../src/server/admin/people.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { createSession, generateSessionToken } from '../../src/server/auth/session.ts';
import { eraseOwnAccount, exportPersonalData, ANONYMISED_HOLDER_NAME } from '../../src/server/privacy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, institutionId } from './helpers/admin-people.ts';
import { addParticipant, createWorkshopRow, credit, markPresent } from './helpers/workshops.ts';

const ORIGIN = 'http://capacita.test';

describe('audit log of administrative actions', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('records who, what, where and before/after for each action, filterable and exportable', async () => {
    const admin = await createPerson(t.db, { role: 'admin', countryCode: null, email: 'admin@x.test' });
    const committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    const mp = await institutionId(t.db, 'GT', 'MP');
    const pnc = await institutionId(t.db, 'GT', 'PNC');
    const ip = '203.0.113.7';

    const created = await createInstitution(t.db, committee, 'GT', { name: 'Secretaría Nueva', acronym: 'SN', sectorCode: 'labour' }, ip);
    await updateInstitution(t.db, committee, created.id, { name: 'Secretaría Renovada', acronym: 'SR', sectorCode: 'labour' }, ip);
    await setInstitutionActive(t.db, committee, created.id, false, ip);
    await setInstitutionTargets(t.db, committee, mp, { basico: 300, especializado: 40 }, ip);
    await updateNationalBody(t.db, committee, 'GT', { nameEs: 'SVET', nameEn: 'SVET', hotline: '1511', referralContact: 'referencias@svet.gob.gt' }, ip);
    const { userId } = await inviteUser(t.db, committee, { name: 'Ana Invitada', email: 'ana@x.gt', institutionId: mp, role: 'learner', locale: 'es' }, { origin: ORIGIN, ip });
    await changeInstitution(t.db, committee, userId, pnc, ip);
    await setUserActive(t.db, committee, userId, false, ip);
    await setUserActive(t.db, committee, userId, true, ip);
    const requester = await createPerson(t.db, { role: 'learner', countryCode: 'GT', specialistStatus: 'requested' });
    await decideSpecialistRequest(t.db, committee, requester.id, { approve: false, reason: 'No pertenece a la unidad' }, { origin: ORIGIN, ip });
    await changeRole(t.db, admin, userId, 'specialist', ip);
    const [cert] = await t.db.insert(certificates).values({ code: 'ABC123', userId, courseId: 'basico', programme: 'basico', holderName: 'Ana', countryCode: 'GT', issuedAt: new Date() }).returning();
    await revokeCertificate(t.db, admin, cert!.id, 'Emitido por error', ip);

    const rows = await t.db.select().from(auditLog).orderBy(auditLog.id);
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual([
      'institution.create',
      'institution.update',
      'institution.deactivate',
      'targets.update',
      'nationalBody.update',
      'user.invite',
      'user.changeInstitution',
      'user.deactivate',
      'user.reactivate',
      'specialist.reject',
      'user.changeRole',
      'certificate.revoke',
    ]);
    expect(rows.every((r) => r.ip === ip && r.actorId !== null && r.at instanceof Date)).toBe(true);
    expect(rows.find((r) => r.action === 'institution.update')).toMatchObject({ before: { name: 'Secretaría Nueva' }, after: { name: 'Secretaría Renovada' }, countryCode: 'GT' });
    expect(rows.find((r) => r.action === 'user.changeRole')).toMatchObject({ actorId: admin.id, before: { role: 'learner' }, after: { role: 'specialist' } });
    expect(rows.find((r) => r.action === 'certificate.revoke')).toMatchObject({ targetId: 'ABC123', after: { reason: 'Emitido por error' } });

    const users = await listAudit(t.db, admin, { action: 'user.', limit: 2 });
    expect(users.rows.map((r) => r.action)).toEqual(['user.changeRole', 'user.reactivate']);
    const older = await listAudit(t.db, admin, { action: 'user.', beforeId: users.nextBeforeId });
    expect(older.rows.map((r) => r.action)).toEqual(['user.deactivate', 'user.changeInstitution', 'user.invite']);
    expect((await listAudit(t.db, admin, { actorEmail: 'ADMIN@x.test' })).rows).toHaveLength(2);

    let csv = '';
    for await (const chunk of auditCsv(t.db, admin, {})) csv += chunk;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toContain('id,at,actor_id,actor_email,action');
    expect(lines).toHaveLength(13);
    expect(csv).toContain('"{""name"":""Secretaría Nueva""');
  });
});

describe('privacy', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('exports everything held, and erasure keeps aggregates and certificate verification', async () => {
    const mp = await institutionId(t.db, 'GT', 'MP');
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT', institutionId: mp, email: 'ana@x.gt', name: 'Ana Pérez', passwordHash: await hashPassword('ana long passphrase') });
    const [enrolment] = await t.db.insert(enrolments).values({ userId: person.id, courseId: 'basico', programme: 'basico', countryCode: 'GT', institutionId: mp, enrolledAt: new Date(), completedAt: new Date() }).returning();
    await t.db.insert(certificates).values({ code: 'CERT1', userId: person.id, enrolmentId: enrolment!.id, courseId: 'basico', programme: 'basico', holderName: 'Ana Pérez', countryCode: 'GT', institutionId: mp, issuedAt: new Date() });
    await createSession(t.db, generateSessionToken(), person.id, { ip: '198.51.100.1' });
    await t.db.insert(mailOutbox).values({ kind: 'x', toAddress: 'ana@x.gt', locale: 'es', subject: 's', text: 't', nextAttemptAt: new Date() });

    const data = await exportPersonalData(t.db, person);
    expect(data.account).toMatchObject({ name: 'Ana Pérez', email: 'ana@x.gt', institution: 'Ministerio Público', hasPassword: true });
    expect(JSON.stringify(data)).not.toContain('$argon2');
    expect(data.enrolments).toHaveLength(1);
    expect(data.certificates[0]!.code).toBe('CERT1');
    expect(data.sessions[0]!.ip).toBe('198.51.100.1');
    expect(data.emails).toHaveLength(1);

    const countBefore = await t.db.select({ n: sql<number>`count(*)` }).from(enrolments).where(eq(enrolments.institutionId, mp));
    expect(await eraseOwnAccount(t.db, person, 'wrong password')).toEqual({ ok: false, error: 'wrongPassword' });
    expect(await eraseOwnAccount(t.db, person, 'ana long passphrase', '198.51.100.1')).toEqual({ ok: true });

    const [user] = await t.db.select().from(users).where(eq(users.id, person.id));
    expect(user).toMatchObject({ name: '', passwordHash: null, active: false, countryCode: 'GT', institutionId: mp, role: 'learner' });
    expect(user!.email).not.toContain('ana');
    expect(user!.erasedAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
    expect(await t.db.select().from(mailOutbox)).toHaveLength(0);
    // Aggregates: the enrolment still counts for the institution and country.
    const countAfter = await t.db.select({ n: sql<number>`count(*)` }).from(enrolments).where(eq(enrolments.institutionId, mp));
    expect(countAfter[0]!.n).toBe(countBefore[0]!.n);
    // Verification: the certificate still exists, valid, without a name.
    const [cert] = await t.db.select().from(certificates).where(eq(certificates.code, 'CERT1'));
    expect(cert).toMatchObject({ holderName: ANONYMISED_HOLDER_NAME, revokedAt: null });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'privacy.erase'));
    expect(audit).toMatchObject({ actorId: person.id, targetId: String(person.id) });
    // The address is free again: the person may register anew.
    expect(await t.db.select().from(users).where(eq(users.emailKey, 'ana@x.gt'))).toHaveLength(0);
  });

  it('erasure deletes what the person typed into activities (state, statements, their LRS queue) and keeps the scores', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT', passwordHash: await hashPassword('ana long passphrase') });
    const other = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const statement = (id: string, userId: number) => ({ id, userId, activityId: 'bas-clasificar-es', courseId: 'basico', countryCode: 'GT', verb: 'answered' as const, scoreRaw: 1, scoreMax: 2, success: false, statement: { result: { response: 'mi nombre es Ana y vivo en…' } }, storedAt: new Date() });
    await t.db.insert(xapiStatements).values([statement('s-ana', person.id), statement('s-other', other.id)]);
    await t.db.insert(xapiForwardQueue).values([{ statementId: 's-ana', nextAttemptAt: new Date() }, { statementId: 's-other', nextAttemptAt: new Date() }]);
    await t.db.insert(activityState).values([{ userId: person.id, activityId: 'bas-clasificar-es', state: '{"note":"texto libre"}', updatedAt: new Date() }, { userId: other.id, activityId: 'bas-clasificar-es', state: '{}', updatedAt: new Date() }]);
    await t.db.insert(activityResults).values({ userId: person.id, activityId: 'bas-clasificar-es', courseId: 'basico', bestScore: 1, lastScore: 1, maxScore: 2, completed: true, updatedAt: new Date() });

    expect(await eraseOwnAccount(t.db, person, 'ana long passphrase')).toEqual({ ok: true });
    expect((await t.db.select().from(xapiStatements)).map((s) => s.id)).toEqual(['s-other']);
    expect((await t.db.select().from(xapiForwardQueue)).map((q) => q.statementId)).toEqual(['s-other']);
    expect((await t.db.select().from(activityState)).map((s) => s.userId)).toEqual([other.id]);
    expect(await t.db.select().from(activityResults).where(eq(activityResults.userId, person.id))).toHaveLength(1);
  });

  it('the download holds the profile fields, own workshops with attendance and credit, and offline receipts; erasure keeps the roster and attendance rows and removes the rest', async () => {
    const mp = await institutionId(t.db, 'GT', 'MP');
    const committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT', institutionId: mp, passwordHash: await hashPassword('ana long passphrase') });
    const other = await createPerson(t.db, { role: 'learner', countryCode: 'GT', institutionId: mp });
    await t.db.update(users).set({ position: 'Fiscal auxiliar, Quetzaltenango', sex: 'female' }).where(eq(users.id, person.id));
    const closedAt = Date.UTC(2026, 2, 12, 18);
    const workshop = await createWorkshopRow(t.db, { countryCode: 'GT', courseId: 'basico', sessions: [['2026-03-10', 4], ['2026-03-11', 4]], createdBy: committee.id, state: 'closed' });
    for (const who of [person.id, other.id]) {
      await addParticipant(t.db, workshop.id, who, committee.id, closedAt - 5 * 86_400_000);
      await markPresent(t.db, workshop.sessionIds[0]!, who, committee.id, closedAt - 2 * 86_400_000);
    }
    await markPresent(t.db, workshop.sessionIds[1]!, person.id, committee.id, closedAt - 86_400_000, false);
    await credit(t.db, { workshopId: workshop.id, userId: person.id, countryCode: 'GT', institutionId: mp, courseId: 'basico', programme: 'basico', mode: 'in_person', at: closedAt });
    const receivedAt = new Date(closedAt + 3_600_000);
    await t.db.insert(offlineSyncReceipts).values([
      { userId: person.id, clientId: 'offline-ana-0001', kind: 'practice', outcome: 'rejected', reason: 'learning.offline.stale', result: '{"grade":"texto"}', receivedAt },
      { userId: other.id, clientId: 'offline-other-01', kind: 'lessonDone', outcome: 'applied', receivedAt },
    ]);

    const data = await exportPersonalData(t.db, person);
    expect(data.account).toMatchObject({ position: 'Fiscal auxiliar, Quetzaltenango', sex: 'female' });
    expect(data.workshops).toHaveLength(1);
    expect(data.workshops[0]).toMatchObject({
      id: workshop.id,
      courseSlug: 'basico',
      mode: 'in_person',
      startsOn: '2026-03-10',
      endsOn: '2026-03-11',
      days: [{ day: '2026-03-10', hours: 4, present: true }, { day: '2026-03-11', hours: 4, present: false }],
      creditedAt: new Date(closedAt),
      certificateCode: `W-${workshop.id}-${person.id}`,
    });
    expect(data.workshops[0]!.tally).toMatchObject({ attendedMinutes: 240, totalMinutes: 480 });
    // Only the kind, the client's id, when and how it ended: not the reason or the stored answer.
    expect(data.offlineSyncReceipts).toEqual([{ kind: 'practice', clientId: 'offline-ana-0001', receivedAt, outcome: 'rejected' }]);
    expect(JSON.stringify(data)).not.toContain('offline-other-01');

    expect(await eraseOwnAccount(t.db, person, 'ana long passphrase')).toEqual({ ok: true });
    const [user] = await t.db.select().from(users).where(eq(users.id, person.id));
    expect(user).toMatchObject({ position: null, sex: null, name: '' });
    // The roster and the days attended stay with the anonymous account: the workshop's participant, credited and hours
    // figures, and the certificate it issued, do not change.
    expect(await t.db.select().from(workshopParticipants).where(eq(workshopParticipants.userId, person.id))).toEqual([expect.objectContaining({ workshopId: workshop.id, creditedAt: new Date(closedAt) })]);
    expect(await t.db.select().from(workshopAttendance).where(eq(workshopAttendance.userId, person.id))).toHaveLength(2);
    expect(await t.db.select().from(certificates).where(eq(certificates.workshopId, workshop.id))).toEqual([expect.objectContaining({ userId: person.id, holderName: ANONYMISED_HOLDER_NAME, revokedAt: null })]);
    expect((await t.db.select().from(offlineSyncReceipts)).map((r) => r.clientId)).toEqual(['offline-other-01']);
  });
});
