// The certificate as a PDF (A4 or Letter) and its QR code. The text is set in Noto Sans (SIL Open Font License, from
// the @expo-google-fonts/noto-sans package), embedded as a subset, so every name the platform accepts in Latin, Greek
// or Cyrillic script — "Nayeli Xʼumil Ajpop", "Ñuñoa Güemes", "Zoë Ólafsdóttir" — prints as typed, and a reader can
// copy it back out of the PDF. No external requests.
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import QRCode from 'qrcode';
import { intlLocale } from '../../i18n/index.ts';
import { embedUnicodeFonts, wrapText } from '../pdf/unicode-fonts.ts';

export interface CertificateDocument {
  locale: 'es' | 'en';
  holderName: string;
  /** Where the holder worked and in which country when the certificate was issued. */
  institution: string | null;
  country: string | null;
  courseTitle: string;
  programmeTitle: string;
  courseVersion: string | null;
  /** The course's workload, course.yaml `minutes`. */
  minutes: number | null;
  issuedOn: string; // formatted date
  validUntil: string | null; // formatted date, null = does not expire
  /** The national committee, commission or coalition of the holder's country at the time. */
  issuingBody: string | null;
  code: string;
  verifyUrl: string;
  status: 'valid' | 'expired' | 'revoked';
  revision: number;
  revisedOn: string | null; // formatted date of the latest revision
  /** How it was earned: the online course (when absent), or a workshop (in person or live online) with its days. */
  delivery?: 'online' | 'in_person' | 'online_live';
  workshop?: { title: string; dates: string } | null;
}

const WORDS = {
  es: {
    title: 'Certificado de aprobación',
    certifies: 'La Coalición Regional contra la Trata de Personas y el Tráfico Ilícito de Migrantes certifica que',
    completed: 'completó y aprobó el curso',
    programme: 'Programa',
    version: 'Versión del curso',
    hours: 'Carga horaria',
    issued: 'Fecha de emisión',
    validity: 'Válido hasta',
    noExpiry: 'Sin vencimiento',
    body: 'Organismo nacional emisor',
    revision: (n: number, on: string) => `Revisión ${n}, emitida el ${on} con el mismo código`,
    mode: 'Modalidad',
    modes: { online: 'en línea', in_person: 'presencial', online_live: 'en línea en vivo' },
    workshop: (title: string, dates: string) => `Taller «${title}», ${dates}`,
    code: 'Código de verificación',
    verify: 'Verifique este certificado en',
    revoked: 'REVOCADO',
    expired: 'VENCIDO',
  },
  en: {
    title: 'Certificate of completion',
    certifies: 'The Regional Coalition against Trafficking in Persons and Smuggling of Migrants certifies that',
    completed: 'has completed and passed the course',
    programme: 'Programme',
    version: 'Course version',
    hours: 'Workload',
    issued: 'Issued on',
    validity: 'Valid until',
    noExpiry: 'Does not expire',
    body: 'Issuing national body',
    revision: (n: number, on: string) => `Revision ${n}, issued on ${on} under the same code`,
    mode: 'Mode',
    modes: { online: 'online', in_person: 'in person', online_live: 'live online' },
    workshop: (title: string, dates: string) => `Workshop "${title}", ${dates}`,
    code: 'Verification code',
    verify: 'Verify this certificate at',
    revoked: 'REVOKED',
    expired: 'EXPIRED',
  },
} as const;

/** "1 h 20 min", "45 min", "2 h": the same in both languages. */
export function workload(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function certificateQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

export type Paper = 'a4' | 'letter';

export async function certificatePdf(doc: CertificateDocument, paper: Paper = 'a4'): Promise<Uint8Array> {
  const w = WORDS[doc.locale];
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${w.title} — ${doc.courseTitle}`);
  pdf.setAuthor('Capacita');
  pdf.setLanguage(intlLocale(doc.locale));
  const page = pdf.addPage(paper === 'letter' ? [612, 792] : [595.28, 841.89]); // portrait, points
  const { width, height } = page.getSize();
  const { regular, bold } = await embedUnicodeFonts(pdf);
  const ink = rgb(0.106, 0.122, 0.141);
  const brand = rgb(0.043, 0.31, 0.541);
  const muted = rgb(0.3, 0.33, 0.36);
  const margin = 56;
  const center = (text: string, y: number, font: PDFFont, size: number, color = ink) => {
    const lines = wrapText(font, text, size, width - 2 * margin);
    for (const [i, line] of lines.entries()) {
      page.drawText(line, { x: (width - font.widthOfTextAtSize(line, size)) / 2, y: y - i * size * 1.3, size, font, color });
    }
    return y - lines.length * size * 1.3;
  };

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: brand, borderWidth: 3 });
  let y = height - 92;
  y = center('Capacita', y, bold, 16, brand) - 16;
  y = center(w.title, y, bold, 26, ink) - 18;
  y = center(w.certifies, y, regular, 11.5) - 14;
  y = center(doc.holderName, y, bold, 24, brand) - 4;
  const workplace = [doc.institution, doc.country].filter(Boolean).join(' · ');
  if (workplace) y = center(workplace, y, regular, 11.5, muted) - 10;
  y = center(w.completed, y, regular, 11.5) - 8;
  y = center(doc.courseTitle, y, bold, 17) - 8;
  const facts = [`${w.programme}: ${doc.programmeTitle}`, doc.courseVersion ? `${w.version}: ${doc.courseVersion}` : null, doc.minutes ? `${w.hours}: ${workload(doc.minutes)}` : null].filter(Boolean).join(' · ');
  y = center(facts, y, regular, 11) - 4;
  const mode = doc.delivery ?? 'online';
  const delivery = [`${w.mode}: ${w.modes[mode]}`, doc.workshop ? w.workshop(doc.workshop.title, doc.workshop.dates) : null].filter(Boolean).join(' · ');
  y = center(delivery, y, mode === 'online' ? regular : bold, 11) - 14;
  y = center(`${w.issued}: ${doc.issuedOn} · ${w.validity}: ${doc.validUntil ?? w.noExpiry}`, y, regular, 11) - 4;
  if (doc.issuingBody) y = center(`${w.body}: ${doc.issuingBody}`, y, regular, 11) - 4;
  if (doc.revision > 1 && doc.revisedOn) y = center(w.revision(doc.revision, doc.revisedOn), y, regular, 10, muted) - 4;
  if (doc.status !== 'valid') center(doc.status === 'revoked' ? w.revoked : w.expired, y - 8, bold, 20, rgb(0.643, 0.086, 0.102));

  const qr = await pdf.embedPng(await QRCode.toBuffer(doc.verifyUrl, { type: 'png', margin: 1, width: 300, errorCorrectionLevel: 'M' }));
  const qrSize = 120;
  page.drawImage(qr, { x: (width - qrSize) / 2, y: 150, width: qrSize, height: qrSize });
  center(`${w.code}: ${doc.code}`, 128, bold, 12);
  center(`${w.verify} ${doc.verifyUrl}`, 110, regular, 10);
  return pdf.save();
}
