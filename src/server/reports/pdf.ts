// The semester report as a PDF (pdf-lib, standard Helvetica: WinAnsi covers Spanish accents). Same tables as the page.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { intlLocale } from '../../i18n/index.ts';
import { formatCell, type ReportTable } from './table.ts';

const PAGE: [number, number] = [841.89, 595.28]; // A4 landscape
const MARGIN = 40;

/** Text the standard font can draw: unsupported characters are replaced. */
function safe(font: PDFFont, text: string, cache: Map<string, boolean>): string {
  let out = '';
  for (const ch of text.replace(/→/g, '->').replace(/÷/g, '/').replace(/[“”]/g, '"')) {
    let ok = cache.get(ch);
    if (ok === undefined) {
      try {
        font.encodeText(ch);
        ok = true;
      } catch {
        ok = false;
      }
      cache.set(ch, ok);
    }
    out += ok ? ch : '?';
  }
  return out;
}

function fit(font: PDFFont, text: string, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let s = text;
  while (s.length > 1 && font.widthOfTextAtSize(`${s}…`, size) > width) s = s.slice(0, -1);
  return `${s}…`;
}

export async function semesterPdf(title: string, subtitle: string, tables: ReportTable[], locale: 'es' | 'en'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('Capacita');
  doc.setLanguage(intlLocale(locale));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const cache = new Map<string, boolean>();
  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const width = PAGE[0] - 2 * MARGIN;
  const newPage = () => {
    page = doc.addPage(PAGE);
    y = PAGE[1] - MARGIN;
  };
  const text = (s: string, x: number, size: number, font: PDFFont, maxWidth: number, right = false) => {
    const t = fit(font, safe(font, s, cache), size, maxWidth);
    const dx = right ? maxWidth - font.widthOfTextAtSize(t, size) : 0;
    page.drawText(t, { x: x + dx, y, size, font, color: rgb(0.1, 0.12, 0.14) });
  };

  text(title, MARGIN, 18, bold, width);
  y -= 20;
  text(subtitle, MARGIN, 10, regular, width);
  y -= 24;
  for (const table of tables) {
    if (y < MARGIN + 80) newPage();
    text(table.title, MARGIN, 12, bold, width);
    y -= 16;
    // The first (label) column gets the room the numbers do not need.
    const n = table.columns.length;
    const first = Math.min(width * 0.4, Math.max(width - (n - 1) * 80, width / n));
    const other = n > 1 ? (width - first) / (n - 1) : 0;
    const xs = table.columns.map((_, i) => (i === 0 ? MARGIN : MARGIN + first + (i - 1) * other));
    const ws = table.columns.map((_, i) => (i === 0 ? first - 6 : other - 6));
    const header = () => {
      table.columns.forEach((c, i) => text(c.label, xs[i]!, 7.5, bold, ws[i]!, c.kind !== 'text'));
      y -= 4;
      page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
      y -= 11;
    };
    header();
    for (const row of table.rows) {
      if (y < MARGIN) {
        newPage();
        header();
      }
      row.forEach((v, i) => text(formatCell(v, table.columns[i]!, locale), xs[i]!, 8.5, i === 0 ? bold : regular, ws[i]!, table.columns[i]!.kind !== 'text'));
      y -= 12;
    }
    if (table.note) {
      // What a hidden cell means travels with the table (observers' PDFs).
      if (y < MARGIN) newPage();
      text(table.note, MARGIN, 7.5, regular, width);
      y -= 10;
    }
    y -= 14;
  }
  return doc.save();
}
