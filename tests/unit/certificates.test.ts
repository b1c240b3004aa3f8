import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { certificates, institutions, nationalBodies } from '../../db/schema.ts';
import { addMonths, CERTIFICATE_ALPHABET, certificateStatus, generateCertificateCode, normaliseCertificateCode, verifyCertificate } from '../../src/server/learning/certificates.ts';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone } from '../../src/server/learning/progress.ts';
import { startAttempt, submitAttempt } from '../../src/server/learning/quiz/attempts.ts';
import type { Paper } from '../../src/server/learning/quiz/paper.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';
import { PDFDocument } from 'pdf-lib';
import { extractText } from 'unpdf';
import { certificatePdf, workload } from '../../src/server/learning/certificate-document.ts';

describe('certificate codes', () => {
  it('are 4 groups of 4 characters from the alphabet, and distinct', () => {
    const codes = new Set(Array.from({ length: 2000 }, generateCertificateCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CERTIFICATE_ALPHABET}]{4}(-[${CERTIFICATE_ALPHABET}]{4}){3}$`));
    // Every character of the alphabet turns up (no bias that drops some).
    const seen = new Set([...codes].join('').replaceAll('-', ''));
    expect(seen.size).toBe(CERTIFICATE_ALPHABET.length);
  });
  it('normalises what people type and rejects what cannot be a code', () => {
    expect(normaliseCertificateCode(' abcd efgh-jkmn pqrs ')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normaliseCertificateCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normaliseCertificateCode('ABCD-EFGH-JKMN-PQR')).toBeNull();
    expect(normaliseCertificateCode('ABCD-EFGH-JKMN-PQR0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseCertificateCode("'; DROP TABLE x; --")).toBeNull();
    expect(normaliseCertificateCode('')).toBeNull();
  });
});

describe('validity', () => {
  it('adds calendar months', () => {
    expect(addMonths(new Date('2026-01-31T12:00:00Z'), 1)).toEqual(new Date('2026-02-28T12:00:00Z'));
    expect(addMonths(new Date('2026-03-15T08:00:00Z'), 24)).toEqual(new Date('2028-03-15T08:00:00Z'));
  });
  it('is valid until the expiry instant, then expired; revoked wins', () => {
    const expiresAt = new Date('2028-03-15T08:00:00Z');
    expect(certificateStatus({ expiresAt, revokedAt: null }, new Date(expiresAt.getTime() - 1))).toBe('valid');
    expect(certificateStatus({ expiresAt, revokedAt: null }, expiresAt)).toBe('expired');
    expect(certificateStatus({ expiresAt: null, revokedAt: null }, new Date('2100-01-01'))).toBe('valid');
    expect(certificateStatus({ expiresAt, revokedAt: new Date('2027-01-01') }, new Date('2026-06-01'))).toBe('revoked');
  });
});

describe('issuing and verifying (database)', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  it('issues on completion with the course validity, and verifies publicly', async () => {
    const { course, bank } = fixtureCourse('fx-basico');
    const learner = await createPerson(t.db, { name: 'Ana Verificada' });
    const enrolled = await enrol(t.db, learner, course);
    expect(enrolled.ok).toBe(true);
    const now = new Date('2026-05-10T09:00:00Z');
    for (const lesson of course.lessons) await markLessonDone(t.db, { userId: learner.id, course, lesson, now });
    const start = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!start.ok) throw new Error('no attempt');
    // Answer everything right using the paper (the server's knowledge, not the browser's).
    const answers: Record<string, string[]> = {};
    (start.attempt.paper as Paper).questions.forEach((entry, i) => {
      const q = bank.questions.find((x) => x.id === entry.id)!;
      if (q.type === 'single' || q.type === 'multiple') answers[`q${i}`] = (q.answer as string[]).map((a) => String(entry.options!.indexOf(a)));
      if (q.type === 'truefalse') answers[`q${i}`] = [String(q.answer)];
      if (q.type === 'ordering') entry.options!.forEach((id, k) => (answers[`q${i}.${k}`] = [String(q.options!.findIndex((o) => o.id === id) + 1)]));
      if (q.type === 'matching') entry.options!.forEach((id, k) => (answers[`q${i}.${k}`] = [String(entry.rights!.indexOf(id))]));
    });
    const result = await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers, now });
    if (!result.ok || !result.outcome.completion.completed) throw new Error('not completed');
    const code = result.outcome.completion.certificateCode;
    const [row] = await t.db.select().from(certificates).where(eq(certificates.code, code));
    expect(row).toMatchObject({ holderName: 'Ana Verificada', courseId: 'fx-basico', programme: 'basico', issuedAt: now, expiresAt: new Date('2028-05-10T09:00:00Z') });

    const verified = await verifyCertificate(t.db, code.toLowerCase(), new Date('2027-01-01'));
    // What the certificate says, and nothing else about the person (no id, no e-mail).
    const [institution] = await t.db.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, learner.institutionId!));
    const [body] = await t.db.select().from(nationalBodies).where(eq(nationalBodies.countryCode, learner.countryCode!));
    expect(verified).toEqual({
      code,
      status: 'valid',
      holderName: 'Ana Verificada',
      holderAnonymised: false,
      institutionName: institution!.name,
      country: expect.objectContaining({ es: expect.any(String), en: expect.any(String) }),
      // The holder's country's zone: the dates shown are that country's days (src/i18n/format.ts).
      timeZone: expect.stringMatching(/^America\//),
      nationalBody: { es: body!.nameEs, en: body!.nameEn, acronym: body!.acronym },
      courseId: 'fx-basico',
      programme: 'basico',
      courseVersion: course.version,
      courseMinutes: course.minutes,
      issuedAt: now,
      expiresAt: new Date('2028-05-10T09:00:00Z'),
      revokedAt: null,
      revokedReason: null,
      revision: 1,
      revisedAt: null,
      // Earned online: no workshop (docs/WORKSHOPS.md).
      deliveryMode: 'online',
      workshop: null,
    });
    expect((await verifyCertificate(t.db, code, new Date('2028-05-10T09:00:00Z')))?.status).toBe('expired');
    // An erased holder: still verifiable, without a name.
    await t.db.update(certificates).set({ holderName: '' }).where(eq(certificates.code, code));
    expect(await verifyCertificate(t.db, code, new Date('2027-01-01'))).toMatchObject({ status: 'valid', holderName: '', holderAnonymised: true });
    await t.db.update(certificates).set({ revokedAt: new Date('2027-02-01'), revokedReason: 'Emitido por error' }).where(eq(certificates.code, code));
    expect(await verifyCertificate(t.db, code, new Date('2027-03-01'))).toMatchObject({ status: 'revoked', revokedReason: 'Emitido por error' });
    expect(await verifyCertificate(t.db, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ')).toBeNull();
    expect(await verifyCertificate(t.db, 'not a code')).toBeNull();
  });
});

describe('the PDF', () => {
  const doc = {
    locale: 'es' as const,
    holderName: 'Nayeli Xʼumil Ajpop',
    institution: 'Ministerio Público',
    country: 'Guatemala',
    courseTitle: '¿Qué es la trata? Fundamentos — señales',
    programmeTitle: 'Básico',
    courseVersion: '2.1',
    minutes: 80,
    issuedOn: '10 de mayo de 2026',
    validUntil: '10 de mayo de 2028',
    issuingBody: 'Comisión Interinstitucional contra la Trata de Personas (CIT)',
    code: 'ABCD-EFGH-JKMN-PQRS',
    verifyUrl: 'https://capacita.example.org/verify/ABCD-EFGH-JKMN-PQRS',
    status: 'valid' as const,
    revision: 1,
    revisedOn: null,
  };
  const textOf = async (bytes: Uint8Array) => (await extractText(new Uint8Array(bytes), { mergePages: true })).text.replace(/\s+/g, ' ');

  it.each(['Nayeli Xʼumil Ajpop', 'Ñuñoa Güemes', 'Zoë Ólafsdóttir'])('prints %s as typed (the text reads back from the PDF)', async (holderName) => {
    const text = await textOf(await certificatePdf({ ...doc, holderName }));
    expect(text).toContain(holderName);
  });

  it('says what a committee needs, in either language, on A4 and Letter', async () => {
    const a4 = await certificatePdf(doc);
    expect((await PDFDocument.load(a4)).getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    const es = await textOf(a4);
    for (const fact of ['Ministerio Público · Guatemala', '¿Qué es la trata? Fundamentos — señales', 'Programa: Básico', 'Versión del curso: 2.1', 'Carga horaria: 1 h 20 min', 'Fecha de emisión: 10 de mayo de 2026', 'Válido hasta: 10 de mayo de 2028', 'Organismo nacional emisor: Comisión Interinstitucional contra la Trata de Personas (CIT)', 'ABCD-EFGH-JKMN-PQRS', doc.verifyUrl]) {
      expect(es).toContain(fact);
    }
    expect(es).not.toContain('Revisión');
    const letter = await certificatePdf({ ...doc, locale: 'en', revision: 2, revisedOn: '1 December 2026', status: 'revoked' }, 'letter');
    expect((await PDFDocument.load(letter)).getPage(0).getSize()).toEqual({ width: 612, height: 792 });
    const en = await textOf(letter);
    for (const fact of ['has completed and passed the course', 'Course version: 2.1', 'Workload: 1 h 20 min', 'Issuing national body', 'Revision 2, issued on 1 December 2026 under the same code', 'REVOKED']) expect(en).toContain(fact);
  });

  it('embeds a subset of the font, not the whole file', async () => {
    // Noto Sans is about 600 kB per weight; a subset of the glyphs one certificate uses is a few kilobytes.
    expect((await certificatePdf(doc)).length).toBeLessThan(60_000);
  });

  it('states the workload in hours and minutes', () => {
    expect([45, 60, 80, 125].map(workload)).toEqual(['45 min', '1 h', '1 h 20 min', '2 h 5 min']);
  });
});
