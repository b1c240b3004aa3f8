// A name correction end to end in the domain: the learner corrects their account's name (issued certificates keep
// theirs), asks for one certificate to carry it, the committee of their country approves, and the certificate is
// re-issued under the same code with the next revision — which /verify reports. Every step is audited, without names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, certificateNameCorrections, certificates, enrolments, mailOutbox, users } from '../../db/schema.ts';
import { changeOwnName } from '../../src/server/account-name.ts';
import { DomainError } from '../../src/server/errors.ts';
import { issueCertificate } from '../../src/server/learning/certificates.ts';
import { decideNameCorrection, latestNameCorrection, listPendingNameCorrections, requestNameCorrection, verifyCertificate } from '../../src/server/learning/index.ts';
import { eraseAccount, exportPersonalData } from '../../src/server/privacy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, institutionId, type TestActor } from './helpers/admin-people.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';

const ORIGIN = 'https://capacita.example.org';

const failure = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}:${error.key}`;
    throw error;
  }
};

describe('certificate name corrections (database)', () => {
  let t: TestDatabase;
  let committeeGT: TestActor;
  let committeeHN: TestActor;
  beforeAll(async () => {
    t = await createTestDatabase();
    committeeGT = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    committeeHN = await createPerson(t.db, { role: 'committee', countryCode: 'HN' });
  });
  afterAll(() => t.close());

  /** A learner of Guatemala holding a certificate of the fixture course issued under `name`. */
  async function holderWithCertificate(name: string) {
    const { course } = fixtureCourse('fx-basico');
    const institution = await institutionId(t.db, 'GT', 'MP');
    const holder = await createPerson(t.db, { role: 'learner', countryCode: 'GT', institutionId: institution, name });
    const [enrolment] = await t.db.insert(enrolments).values({ userId: holder.id, courseId: course.id, programme: course.programme, countryCode: 'GT', institutionId: institution, enrolledAt: new Date('2026-03-01T10:00:00Z') }).returning();
    const { code } = await issueCertificate(t.db, enrolment!, course, new Date('2026-03-10T10:00:00Z'));
    return { holder, code };
  }
  const asHolder = async (holder: TestActor) => {
    const [row] = await t.db.select().from(users).where(eq(users.id, holder.id));
    return { ...holder, name: row!.name };
  };

  it('re-issues the certificate under the same code with the corrected name and the next revision', async () => {
    const { holder, code } = await holderWithCertificate('Nayeli Xumil Ajpop');
    // The account's name changes; the certificate keeps the one it was issued with.
    expect(await changeOwnName(t.db, holder, '  Nayeli Xʼumil   Ajpop ')).toEqual({ name: 'Nayeli Xʼumil Ajpop', changed: true });
    expect((await verifyCertificate(t.db, code))).toMatchObject({ holderName: 'Nayeli Xumil Ajpop', revision: 1, revisedAt: null });

    const { id } = await requestNameCorrection(t.db, await asHolder(holder), code, { now: new Date('2026-11-30T09:00:00Z') });
    expect(await failure(() => requestNameCorrection(t.db, { ...holder, name: 'Nayeli Xʼumil Ajpop' }, code))).toBe('conflict:learning.nameCorrection.pending');
    expect((await latestNameCorrection(t.db, code))?.status).toBe('requested');

    // Only the committee of the holder's country sees and decides it.
    expect((await listPendingNameCorrections(t.db, committeeGT)).map((r) => r.id)).toContain(id);
    expect(await failure(() => listPendingNameCorrections(t.db, committeeGT, 'HN'))).toBe('forbidden:errors.forbidden');
    expect((await listPendingNameCorrections(t.db, committeeHN)).map((r) => r.id)).not.toContain(id);
    expect(await failure(() => decideNameCorrection(t.db, committeeHN, id, { approve: true, reason: '' }, { origin: ORIGIN }))).toBe('forbidden:errors.forbidden');
    expect(await failure(() => decideNameCorrection(t.db, holder, id, { approve: true, reason: '' }, { origin: ORIGIN }))).toBe('forbidden:errors.forbidden');

    const revisedAt = new Date('2026-12-01T10:00:00Z');
    expect(await decideNameCorrection(t.db, committeeGT, id, { approve: true, reason: '' }, { origin: ORIGIN, now: revisedAt })).toEqual({ certificateCode: code, revision: 2 });
    // A second click by another member finds nothing to decide, and the certificate is not re-issued twice.
    expect(await failure(() => decideNameCorrection(t.db, committeeGT, id, { approve: true, reason: '' }, { origin: ORIGIN }))).toBe('conflict:admin.nameCorrections.notPending');

    const verified = await verifyCertificate(t.db, code);
    expect(verified).toMatchObject({ code, holderName: 'Nayeli Xʼumil Ajpop', revision: 2, revisedAt, status: 'valid', institutionName: expect.any(String), country: { es: 'Guatemala', en: 'Guatemala' } });
    // Nothing about the person beyond what the certificate says.
    expect(Object.keys(verified!)).not.toContain('userId');
    expect(JSON.stringify(verified)).not.toContain('@');

    // The holder hears of it, with a link to the certificate.
    const [mail] = await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.toAddress, holder.email), eq(mailOutbox.kind, 'name_correction_approved')));
    expect(mail?.text).toContain('Nayeli Xʼumil Ajpop');
    expect(mail?.text).toContain(`${ORIGIN}/es/certificates/${code}`);

    const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, code));
    expect(audit.map((a) => a.action)).toEqual(['certificate.nameCorrection.request', 'certificate.nameCorrection.approve']);
    expect(audit[1]).toMatchObject({ actorId: committeeGT.id, countryCode: 'GT', before: { revision: 1 }, after: { requestId: id, revision: 2 } });
    // The append-only log outlives an erasure: it names no one.
    expect(JSON.stringify(audit)).not.toContain('Nayeli');
  });

  it('rejects with a reason the holder reads; the certificate stays as issued', async () => {
    const { holder, code } = await holderWithCertificate('Ñunoa Guemes');
    await changeOwnName(t.db, holder, 'Ñuñoa Güemes');
    const { id } = await requestNameCorrection(t.db, await asHolder(holder), code);
    expect(await failure(() => decideNameCorrection(t.db, committeeGT, id, { approve: false, reason: ' ' }, { origin: ORIGIN }))).toBe('invalid:admin.nameCorrections.reasonRequired');
    await decideNameCorrection(t.db, committeeGT, id, { approve: false, reason: 'Adjunte su documento de identidad' }, { origin: ORIGIN });
    const [mail] = await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.toAddress, holder.email), eq(mailOutbox.kind, 'name_correction_rejected')));
    expect(mail?.text).toContain('Motivo: Adjunte su documento de identidad');
    expect(await latestNameCorrection(t.db, code)).toMatchObject({ status: 'rejected', requestedName: 'Ñuñoa Güemes', decisionReason: 'Adjunte su documento de identidad' });
    expect(await verifyCertificate(t.db, code)).toMatchObject({ holderName: 'Ñunoa Guemes', revision: 1 });
    // A new request may follow a rejection.
    await requestNameCorrection(t.db, await asHolder(holder), code);
    // The holder's data export lists both, without the committee member who decided.
    const exported = await exportPersonalData(t.db, holder);
    expect(exported.certificateNameCorrections.map((c) => [c.requestedName, c.status, c.decisionReason])).toEqual([
      ['Ñuñoa Güemes', 'rejected', 'Adjunte su documento de identidad'],
      ['Ñuñoa Güemes', 'requested', null],
    ]);
    for (const row of exported.certificateNameCorrections) expect(Object.keys(row)).not.toContain('decidedBy');
  });

  it('refuses what cannot be corrected: the same name, a revoked certificate, someone else’s, an invalid name', async () => {
    const { holder, code } = await holderWithCertificate('Zoë Ólafsdóttir');
    expect(await failure(async () => requestNameCorrection(t.db, await asHolder(holder), code))).toBe('conflict:learning.nameCorrection.sameName');
    const other = await holderWithCertificate('Otra Persona');
    expect(await failure(async () => requestNameCorrection(t.db, await asHolder(holder), other.code))).toBe('notFound:errors.notFound');
    expect(await failure(() => changeOwnName(t.db, holder, 'Zoë 😀'))).toBe('invalid:errors.nameCharacters');
    await changeOwnName(t.db, holder, 'Zoë Ólafsdóttir Jónsdóttir');
    await t.db.update(certificates).set({ revokedAt: new Date(), revokedReason: 'Emitido por error' }).where(eq(certificates.code, code));
    expect(await failure(async () => requestNameCorrection(t.db, await asHolder(holder), code))).toBe('conflict:learning.nameCorrection.revoked');
  });

  it('lets no committee member decide about their own certificate', async () => {
    const { course } = fixtureCourse('fx-basico');
    const member = await createPerson(t.db, { role: 'committee', countryCode: 'GT', name: 'Comité Con Certificado' });
    const [enrolment] = await t.db.insert(enrolments).values({ userId: member.id, courseId: course.id, programme: course.programme, countryCode: 'GT', enrolledAt: new Date('2026-03-01T10:00:00Z') }).returning();
    const { code } = await issueCertificate(t.db, enrolment!, course, new Date('2026-03-10T10:00:00Z'));
    await changeOwnName(t.db, member, 'Comité Con Certificado Corregido');
    const { id } = await requestNameCorrection(t.db, await asHolder(member), code);
    expect((await listPendingNameCorrections(t.db, member)).map((r) => r.id)).toContain(id);
    expect(await failure(() => decideNameCorrection(t.db, member, id, { approve: true, reason: '' }, { origin: ORIGIN }))).toBe('forbidden:errors.forbidden');
    expect(await decideNameCorrection(t.db, committeeGT, id, { approve: true, reason: '' }, { origin: ORIGIN })).toMatchObject({ certificateCode: code, revision: 2 });
  });

  it('an erasure blanks the name asked for, and the request leaves the queue', async () => {
    const { holder, code } = await holderWithCertificate('Persona Por Borrar');
    await changeOwnName(t.db, holder, 'Persona Borrada');
    const { id } = await requestNameCorrection(t.db, await asHolder(holder), code);
    await eraseAccount(t.db, holder.id, { actorId: holder.id });
    const [row] = await t.db.select().from(certificateNameCorrections).where(and(eq(certificateNameCorrections.id, id)));
    expect(row!.requestedName).toBe('');
    expect((await listPendingNameCorrections(t.db, committeeGT)).map((r) => r.id)).not.toContain(id);
    expect(await failure(() => decideNameCorrection(t.db, committeeGT, id, { approve: true, reason: '' }, { origin: ORIGIN }))).toBe('conflict:admin.nameCorrections.notReissuable');
  });
});
