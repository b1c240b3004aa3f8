// What the certificate page and PDF show, assembled from the certificate row and the course content.
import type { Locale } from '../i18n/index.ts';
import { localePath } from '../i18n/index.ts';
import type { CertificateView, CertificateDocument } from '../server/learning/index.ts';
import { getCourse, getProgrammes } from './content.ts';
import { dateFormatter } from './learning-text.ts';
import { publicOrigin } from './config.ts';


export async function certificateDocument(cert: CertificateView, locale: Locale): Promise<CertificateDocument> {
  const course = await getCourse(cert.courseId);
  const programme = (await getProgrammes()).find((p) => p.id === cert.programme);
  const date = dateFormatter(locale);
  return {
    locale,
    holderName: cert.holderName,
    courseTitle: course ? course.title[locale] : cert.courseId,
    programmeTitle: programme ? programme.title[locale] : cert.programme,
    issuedOn: date.format(cert.issuedAt),
    validUntil: cert.expiresAt ? date.format(cert.expiresAt) : null,
    code: cert.code,
    verifyUrl: `${publicOrigin()}/verify/${cert.code}`,
    status: cert.status,
  };
}

export function certificatePath(locale: Locale, code: string): string {
  return localePath(locale, `/certificates/${code}`);
}
