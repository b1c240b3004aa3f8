import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { certificates } from '../../db/schema.ts';
import { addMonths, CERTIFICATE_ALPHABET, certificateStatus, generateCertificateCode, normaliseCertificateCode, verifyCertificate } from '../../src/server/learning/certificates.ts';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone } from '../../src/server/learning/progress.ts';
import { startAttempt, submitAttempt } from '../../src/server/learning/quiz/attempts.ts';
import type { Paper } from '../../src/server/learning/quiz/paper.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

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
    expect(verified).toEqual({ code, status: 'valid', holderName: 'Ana Verificada', holderAnonymised: false, courseId: 'fx-basico', programme: 'basico', issuedAt: now, expiresAt: new Date('2028-05-10T09:00:00Z'), revokedAt: null, revokedReason: null });
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
  it('renders Spanish names and titles in A4 and Letter, with no external requests', async () => {
    const { certificatePdf } = await import('../../src/server/learning/certificate-document.ts');
    const { PDFDocument } = await import('pdf-lib');
    const doc = {
      locale: 'es' as const,
      holderName: 'José Ñúñez Güell',
      courseTitle: '¿Qué es la trata? Fundamentos — señales',
      programmeTitle: 'Básico',
      issuedOn: '10 de mayo de 2026',
      validUntil: '10 de mayo de 2028',
      code: 'ABCD-EFGH-JKMN-PQRS',
      verifyUrl: 'https://capacita.example.org/verify/ABCD-EFGH-JKMN-PQRS',
      status: 'valid' as const,
    };
    const a4 = await PDFDocument.load(await certificatePdf(doc));
    expect(a4.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    const letter = await PDFDocument.load(await certificatePdf({ ...doc, holderName: 'Ana → ☃ Emoji' }, 'letter'));
    expect(letter.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
  });
});
