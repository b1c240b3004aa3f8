// What the certificate page, its PDF and /verify show, assembled from the certificate row and the course content. The
// verification link is built from the configured public origin, never from the request (a forged Host header must not
// end up printed in a QR code).
import type { Locale } from '../i18n/index.ts';
import { localePath } from '../i18n/index.ts';
import type { CertificateDocument, CertificateView, PublicVerification } from '../server/learning/index.ts';
import { getCourse, getProgrammes } from './content.ts';
import { clockFor } from '../i18n/format.ts';
import { NO_COUNTRY_TIME_ZONE } from '../server/time-zone.ts';
import { publicOrigin } from './config.ts';
import { formatDays } from './workshop-text.ts';

export function verifyUrl(code: string): string {
  return `${publicOrigin()}/verify/${code}`;
}

export async function certificateDocument(cert: CertificateView | PublicVerification, locale: Locale): Promise<CertificateDocument> {
  const course = await getCourse(cert.courseId);
  const programme = (await getProgrammes()).find((p) => p.id === cert.programme);
  const clock = clockFor(locale, cert.timeZone ?? NO_COUNTRY_TIME_ZONE);
  const body = cert.nationalBody;
  return {
    locale,
    holderName: cert.holderName,
    institution: cert.institutionName,
    country: cert.country ? cert.country[locale] : null,
    courseTitle: course ? course.title[locale] : cert.courseId,
    programmeTitle: programme ? programme.title[locale] : cert.programme,
    courseVersion: cert.courseVersion,
    // Certificates issued before the workload was recorded on them take the course's current one.
    minutes: cert.courseMinutes ?? course?.minutes ?? null,
    issuedOn: clock.date(cert.issuedAt),
    validUntil: cert.expiresAt ? clock.date(cert.expiresAt) : null,
    issuingBody: body ? (body.acronym ? `${body[locale]} (${body.acronym})` : body[locale]) : null,
    code: cert.code,
    verifyUrl: verifyUrl(cert.code),
    status: cert.status,
    revision: cert.revision,
    revisedOn: cert.revisedAt ? clock.date(cert.revisedAt) : null,
    delivery: cert.workshop ? (cert.deliveryMode === 'in_person' ? 'in_person' : 'online_live') : 'online',
    workshop: cert.workshop ? { title: cert.workshop.title[locale], dates: formatDays(locale, cert.workshop.startsOn, cert.workshop.endsOn) } : null,
  };
}

export function certificatePath(locale: Locale, code: string): string {
  return localePath(locale, `/certificates/${code}`);
}
