// Certificates: issued in the same transaction that completes a course, verified by anyone with the code.
// A code is 16 characters from an alphabet without look-alikes (no I, L, O, U, 0, 1), 4 groups of 4, drawn with
// crypto.getRandomValues: 30^16 ≈ 4·10^23 codes, so guessing one is hopeless.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { certificates, countries, enrolments, institutions, nationalBodies, users, type DeliveryMode, type ProgrammeId, type WorkshopMode, workshops } from '../../../db/schema.ts';
import type { Bilingual, Course } from './catalog.ts';
import { isAnonymisedHolder } from '../privacy.ts';
import { recordCertificateIssued } from '../reports/summary.ts';

export const CERTIFICATE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const CODE_PATTERN = new RegExp(`^[${CERTIFICATE_ALPHABET}]{4}(-[${CERTIFICATE_ALPHABET}]{4}){3}$`);

export function generateCertificateCode(): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 30).
  const limit = 256 - (256 % CERTIFICATE_ALPHABET.length);
  let out = '';
  while (out.replaceAll('-', '').length < 16) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    for (const b of bytes) {
      const length = out.replaceAll('-', '').length;
      if (length >= 16) break;
      if (b >= limit) continue;
      if (length > 0 && length % 4 === 0) out += '-';
      out += CERTIFICATE_ALPHABET[b % CERTIFICATE_ALPHABET.length];
    }
  }
  return out;
}

/** A typed code in canonical form (upper case, dashes where they belong), or null when it cannot be one. */
export function normaliseCertificateCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 16) return null;
  const code = compact.match(/.{4}/g)!.join('-');
  return CODE_PATTERN.test(code) ? code : null;
}

/** Calendar months after a date (the 31st of a short month lands on its last day). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export function certificateStatus(cert: { expiresAt: Date | null; revokedAt: Date | null }, now = new Date()): CertificateStatus {
  if (cert.revokedAt) return 'revoked';
  if (cert.expiresAt && cert.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}


/** A certificate a closed workshop issues: its mode, the workshop it names, and the workshop's hours as the workload. */
export interface WorkshopDelivery {
  deliveryMode: DeliveryMode;
  workshopId: number;
  minutes: number;
}

/** What a certificate copies from its enrolment: the row the completing transaction already holds. */
export type CertifiedEnrolment = Pick<typeof enrolments.$inferSelect, 'id' | 'userId' | 'countryCode' | 'institutionId' | 'enrolledAt' | 'courseVersion'>;

/**
 * Issues the certificate of a completed enrolment (call inside the completing transaction, with the enrolment row it
 * read). Idempotent: the unique index on enrolment_id means a second call returns the existing certificate.
 */
export async function issueCertificate(tx: Executor, enrolment: CertifiedEnrolment, course: Pick<Course, 'id' | 'programme' | 'version' | 'minutes' | 'certificateValidityMonths'>, now: Date, workshop?: WorkshopDelivery): Promise<{ code: string }> {
  const enrolmentId = enrolment.id;
  const [existing] = await tx.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, enrolmentId));
  if (existing) return existing;
  // The name as it is at issue, read by the insert itself (holder_name is NOT NULL: an enrolment with no user fails).
  const holderName = sql<string>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${enrolment.userId})`;
  const expiresAt = course.certificateValidityMonths ? addMonths(now, course.certificateValidityMonths) : null;
  // A clash of random codes is astronomically unlikely; retry a few times rather than fail the completion.
  for (let i = 0; i < 5; i++) {
    const code = generateCertificateCode();
    const inserted = await tx
      .insert(certificates)
      .values({
        code,
        userId: enrolment.userId,
        enrolmentId,
        courseId: course.id,
        programme: course.programme,
        // The version the enrolment was taken under (enrolments from before versions were recorded: the current one).
        courseVersion: enrolment.courseVersion ?? course.version,
        courseMinutes: workshop ? workshop.minutes : course.minutes,
        ...(workshop ? { deliveryMode: workshop.deliveryMode, workshopId: workshop.workshopId } : {}),
        holderName,
        countryCode: enrolment.countryCode,
        institutionId: enrolment.institutionId,
        issuedAt: now,
        expiresAt,
      })
      .onConflictDoNothing()
      .returning({ code: certificates.code });
    if (inserted[0]) {
      // The dashboards' coverage and funnel, in the same transaction (src/server/reports/summary.ts).
      await recordCertificateIssued(tx, { userId: enrolment.userId }, { countryCode: enrolment.countryCode, institutionId: enrolment.institutionId, courseId: course.id, programme: course.programme, enrolledAt: enrolment.enrolledAt });
      return inserted[0];
    }
    const [again] = await tx.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, enrolmentId));
    if (again) return again;
  }
  throw new Error('issueCertificate: could not draw a unique code');
}

export interface CertificateView {
  code: string;
  userId: number;
  holderName: string;
  courseId: string;
  programme: ProgrammeId;
  courseVersion: string | null;
  courseMinutes: number | null;
  issuedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** 1 as issued; higher once re-issued (a corrected name) under the same code. */
  revision: number;
  revisedAt: Date | null;
  /** Where the holder worked when the certificate was issued (copied onto it then), and the body that issues it. */
  institutionName: string | null;
  country: Bilingual | null;
  /** The holder's country's zone (null: no country): a certificate's dates are that country's calendar days. */
  timeZone: string | null;
  nationalBody: (Bilingual & { acronym: string | null }) | null;
  status: CertificateStatus;
  /** 'in_person' when an in-person workshop issued it; `workshop` names the workshop (live online ones too). */
  deliveryMode: DeliveryMode;
  workshop: { title: Bilingual; startsOn: string; endsOn: string; mode: WorkshopMode } | null;
}

const certificateColumns = {
  code: certificates.code,
  userId: certificates.userId,
  holderName: certificates.holderName,
  courseId: certificates.courseId,
  programme: certificates.programme,
  courseVersion: certificates.courseVersion,
  courseMinutes: certificates.courseMinutes,
  issuedAt: certificates.issuedAt,
  expiresAt: certificates.expiresAt,
  revokedAt: certificates.revokedAt,
  revokedReason: certificates.revokedReason,
  revision: certificates.revision,
  revisedAt: certificates.revisedAt,
  institutionName: institutions.name,
  countryEs: countries.nameEs,
  countryEn: countries.nameEn,
  timeZone: countries.timeZone,
  bodyEs: nationalBodies.nameEs,
  bodyEn: nationalBodies.nameEn,
  bodyAcronym: nationalBodies.acronym,
  deliveryMode: certificates.deliveryMode,
  workshopTitleEs: workshops.titleEs,
  workshopTitleEn: workshops.titleEn,
  workshopStartsOn: workshops.startsOn,
  workshopEndsOn: workshops.endsOn,
  workshopMode: workshops.mode,
};

function readCertificates(db: Pick<Database, 'select'>, where: SQL) {
  return db
    .select(certificateColumns)
    .from(certificates)
    .leftJoin(institutions, eq(institutions.id, certificates.institutionId))
    .leftJoin(countries, eq(countries.code, certificates.countryCode))
    .leftJoin(nationalBodies, eq(nationalBodies.countryCode, certificates.countryCode))
    .leftJoin(workshops, eq(workshops.id, certificates.workshopId))
    .where(where);
}

function viewOf(row: Awaited<ReturnType<typeof readCertificates>>[number], now: Date): CertificateView {
  const { countryEs, countryEn, bodyEs, bodyEn, bodyAcronym, workshopTitleEs, workshopTitleEn, workshopStartsOn, workshopEndsOn, workshopMode, ...rest } = row;
  return {
    ...rest,
    workshop: workshopTitleEs && workshopTitleEn && workshopStartsOn && workshopEndsOn && workshopMode ? { title: { es: workshopTitleEs, en: workshopTitleEn }, startsOn: workshopStartsOn, endsOn: workshopEndsOn, mode: workshopMode } : null,
    country: countryEs && countryEn ? { es: countryEs, en: countryEn } : null,
    nationalBody: bodyEs && bodyEn ? { es: bodyEs, en: bodyEn, acronym: bodyAcronym } : null,
    status: certificateStatus(row, now),
  };
}

export async function findCertificate(db: Pick<Database, 'select'>, rawCode: string | null | undefined, now = new Date()): Promise<CertificateView | null> {
  const code = normaliseCertificateCode(rawCode);
  if (!code) return null;
  const [row] = await readCertificates(db, eq(certificates.code, code));
  return row ? viewOf(row, now) : null;
}

/**
 * What the public verification page may show: what the certificate itself says (holder, institution and country at
 * the time, course, version, dates, issuing body), its status and revision — never an e-mail address or an id.
 */
export type PublicVerification = Omit<CertificateView, 'userId' | 'revokedReason'> & {
  /** True when the holder erased their account: the certificate stays verifiable without a name. */
  holderAnonymised: boolean;
  /** Why it was revoked, as the administrator wrote it; shown publicly so a reader knows it is not a forgery. */
  revokedReason: string | null;
};

export async function verifyCertificate(db: Pick<Database, 'select'>, rawCode: string | null | undefined, now = new Date()): Promise<PublicVerification | null> {
  const cert = await findCertificate(db, rawCode, now);
  if (!cert) return null;
  const { userId: _userId, revokedReason, ...shown } = cert;
  return { ...shown, holderAnonymised: isAnonymisedHolder(cert.holderName), revokedReason: cert.revokedAt ? revokedReason : null };
}

export async function listUserCertificates(db: Pick<Database, 'select'>, userId: number, now = new Date()): Promise<CertificateView[]> {
  const rows = await readCertificates(db, eq(certificates.userId, userId));
  return rows.map((r) => viewOf(r, now)).sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
}
