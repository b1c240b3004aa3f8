// The certificate as a PDF (A4) and its QR code. Standard PDF fonts with WinAnsi encoding cover Spanish (á é í ó ú ñ
// ü ¿ ¡); characters outside it are replaced, never dropped silently into a failure. No external requests.
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import QRCode from 'qrcode';

export interface CertificateDocument {
  locale: 'es' | 'en';
  holderName: string;
  courseTitle: string;
  programmeTitle: string;
  issuedOn: string; // formatted date
  validUntil: string | null; // formatted date, null = does not expire
  code: string;
  verifyUrl: string;
  status: 'valid' | 'expired' | 'revoked';
}

const WORDS = {
  es: { title: 'Certificado de aprobación', certifies: 'La Coalición Regional contra la Trata de Personas y el Tráfico Ilícito de Migrantes certifica que', completed: 'completó y aprobó el curso', programme: 'Programa', issued: 'Fecha de emisión', validity: 'Válido hasta', noExpiry: 'Sin vencimiento', code: 'Código de verificación', verify: 'Verifique este certificado en', revoked: 'REVOCADO', expired: 'VENCIDO' },
  en: { title: 'Certificate of completion', certifies: 'The Regional Coalition against Trafficking in Persons and Smuggling of Migrants certifies that', completed: 'has completed and passed the course', programme: 'Programme', issued: 'Issued on', validity: 'Valid until', noExpiry: 'Does not expire', code: 'Verification code', verify: 'Verify this certificate at', revoked: 'REVOKED', expired: 'EXPIRED' },
} as const;

export function certificateQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** Text the font can encode: unsupported characters become '?'. */
function encodable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += ch === '’' || ch === '‘' ? "'" : '?';
    }
  }
  return out;
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

export type Paper = 'a4' | 'letter';

export async function certificatePdf(doc: CertificateDocument, paper: Paper = 'a4'): Promise<Uint8Array> {
  const w = WORDS[doc.locale];
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${w.title} — ${doc.courseTitle}`);
  pdf.setAuthor('Capacita');
  pdf.setLanguage(doc.locale === 'es' ? 'es-419' : 'en');
  const page = pdf.addPage(paper === 'letter' ? [612, 792] : [595.28, 841.89]); // portrait, points
  const { width, height } = page.getSize();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.106, 0.122, 0.141);
  const brand = rgb(0.043, 0.31, 0.541);
  const margin = 56;
  const center = (text: string, y: number, font: PDFFont, size: number, color = ink) => {
    const safe = encodable(font, text);
    for (const [i, line] of wrap(font, safe, size, width - 2 * margin).entries()) {
      page.drawText(line, { x: (width - font.widthOfTextAtSize(line, size)) / 2, y: y - i * size * 1.3, size, font, color });
    }
    return y - wrap(font, safe, size, width - 2 * margin).length * size * 1.3;
  };

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: brand, borderWidth: 3 });
  let y = height - 110;
  y = center('Capacita', y, bold, 16, brand) - 20;
  y = center(w.title, y, bold, 28, ink) - 24;
  y = center(w.certifies, y, regular, 12) - 18;
  y = center(doc.holderName, y, bold, 24, brand) - 14;
  y = center(w.completed, y, regular, 12) - 12;
  y = center(doc.courseTitle, y, bold, 18) - 10;
  y = center(`${w.programme}: ${doc.programmeTitle}`, y, regular, 12) - 24;
  y = center(`${w.issued}: ${doc.issuedOn}`, y, regular, 12) - 4;
  y = center(`${w.validity}: ${doc.validUntil ?? w.noExpiry}`, y, regular, 12) - 4;
  if (doc.status !== 'valid') y = center(doc.status === 'revoked' ? w.revoked : w.expired, y - 10, bold, 20, rgb(0.643, 0.086, 0.102)) - 4;

  const qr = await pdf.embedPng(await QRCode.toBuffer(doc.verifyUrl, { type: 'png', margin: 1, width: 300, errorCorrectionLevel: 'M' }));
  const qrSize = 130;
  page.drawImage(qr, { x: (width - qrSize) / 2, y: 150, width: qrSize, height: qrSize });
  center(`${w.code}: ${doc.code}`, 128, bold, 12);
  center(`${w.verify} ${doc.verifyUrl}`, 110, regular, 10);
  return pdf.save();
}
