// The semester report as a PDF (pdf-lib, standard Helvetica: WinAnsi covers Spanish accents). Same tables as the page,
// each share table preceded by its chart (bars on a 0–100 % scale, drawn here: no browser on the server), the report's
// title and the page number on every page, and column headers wrapped rather than cut ("Con certificado vi…").
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { intlLocale } from '../../i18n/index.ts';
import { formatNumber } from '../../i18n/format.ts';
import { formatCell, type ReportTable } from './table.ts';

const PAGE: [number, number] = [841.89, 595.28]; // A4 landscape
const MARGIN = 40;

/** Text the standard font can draw: unsupported characters are replaced. */
function safe(font: PDFFont, text: string, cache: Map<string, boolean>): string {
  let out = '';
  // WinAnsi has no minus sign (U+2212, as in "UTC−6") nor arrow: their nearest ASCII.
  for (const ch of text.replace(/→/g, '->').replace(/÷/g, '/').replace(/[“”]/g, '"').replace(/−/g, '-')) {
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

/** Words over at most `maxLines` lines of `width`; the last line is cut with "…" only if still too long. */
function wrap(font: PDFFont, text: string, size: number, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.map((l) => fit(font, l, size, width));
  return [...lines.slice(0, maxLines - 1), fit(font, lines.slice(maxLines - 1).join(' '), size, width)];
}

/** The share column a table's chart plots: its coverage ("rate"), else its first share column; none without row names. */
function chartColumn(table: ReportTable): number {
  if (table.rowHeader !== 0) return -1;
  const rate = table.columns.findIndex((c) => c.key === 'rate' && c.kind === 'percent');
  const index = rate >= 0 ? rate : table.columns.findIndex((c) => c.kind === 'percent');
  return index >= 0 && table.rows.some((row) => typeof row[index] === 'number') ? index : -1;
}

const INK = rgb(0.1, 0.12, 0.14);
const BAR = rgb(0, 0.447, 0.698); // Okabe–Ito blue, as on the dashboard
const GRID = rgb(0.8, 0.8, 0.8);
const ROW = 13;
const HEADER_LINE = 8.5;

export async function semesterPdf(title: string, subtitle: string, tables: ReportTable[], locale: 'es' | 'en'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('Capacita');
  doc.setLanguage(intlLocale(locale));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const cache = new Map<string, boolean>();
  const width = PAGE[0] - 2 * MARGIN;
  const top = PAGE[1] - MARGIN;
  const bottom = MARGIN + 14; // the page number sits below
  let page: PDFPage = doc.addPage(PAGE);
  let y = top;
  const newPage = () => {
    page = doc.addPage(PAGE);
    y = top;
    // Which report a loose page belongs to.
    text(title, MARGIN, 8, regular, width);
    y -= 18;
  };
  const room = (needed: number) => {
    if (y - needed < bottom) newPage();
  };
  const text = (s: string, x: number, size: number, font: PDFFont, maxWidth: number, right = false) => {
    const t = fit(font, safe(font, s, cache), size, maxWidth);
    const dx = right ? maxWidth - font.widthOfTextAtSize(t, size) : 0;
    page.drawText(t, { x: x + dx, y, size, font, color: INK });
  };

  /**
   * Horizontal bars of one share column, 0–100 % whatever the figures (a share over 100 % is drawn to the end); a
   * chart longer than the page goes on over the next, each part with its own axis.
   */
  const chart = (table: ReportTable, column: number) => {
    const rows = table.rows.filter((row) => row[0] !== null);
    while (rows.length > 0) {
      const fits = Math.floor((y - bottom - 40) / ROW);
      if (fits < Math.min(3, rows.length)) {
        newPage();
        continue;
      }
      chartPart(table, column, rows.splice(0, fits));
    }
  };
  const chartPart = (table: ReportTable, column: number, rows: ReportTable['rows']) => {
    const labelWidth = Math.min(200, width * 0.28);
    const plotX = MARGIN + labelWidth + 6;
    const plotWidth = width - labelWidth - 6 - 56;
    text(`${table.title} · ${table.columns[column]!.label}`, MARGIN, 9, bold, width);
    y -= 14;
    const plotTop = y + 8;
    const plotBottom = y - rows.length * ROW + 8;
    for (let tick = 0; tick <= 100; tick += 20) {
      const x = plotX + (plotWidth * tick) / 100;
      page.drawLine({ start: { x, y: plotTop }, end: { x, y: plotBottom }, thickness: 0.4, color: GRID });
    }
    for (const row of rows) {
      text(String(row[0] ?? ''), MARGIN, 8, regular, labelWidth, true);
      const value = row[column];
      if (typeof value === 'number') {
        const length = (plotWidth * Math.min(100, Math.max(0, value * 100))) / 100;
        if (length > 0) page.drawRectangle({ x: plotX, y: y - 2, width: length, height: 9, color: BAR });
        text(formatNumber(locale, value, 'percent'), plotX + length + 3, 7.5, regular, 60);
      } else text(String(value ?? '—'), plotX + 3, 7.5, regular, 60);
      y -= ROW;
    }
    for (let tick = 0; tick <= 100; tick += 20) {
      const label = `${formatNumber(locale, tick, 'count')} %`;
      const x = plotX + (plotWidth * tick) / 100 - regular.widthOfTextAtSize(label, 7) / 2;
      page.drawText(label, { x, y: y + 2, size: 7, font: regular, color: INK });
    }
    y -= 16;
  };

  text(title, MARGIN, 18, bold, width);
  y -= 20;
  text(subtitle, MARGIN, 10, regular, width);
  y -= 24;
  for (const table of tables) {
    const plotted = chartColumn(table);
    if (plotted >= 0) chart(table, plotted);
    // The first (label) column gets the room the numbers do not need.
    const n = table.columns.length;
    const first = Math.min(width * 0.4, Math.max(width - (n - 1) * 80, width / n));
    const other = n > 1 ? (width - first) / (n - 1) : 0;
    const xs = table.columns.map((_, i) => (i === 0 ? MARGIN : MARGIN + first + (i - 1) * other));
    const ws = table.columns.map((_, i) => (i === 0 ? first - 6 : other - 6));
    const labels = table.columns.map((c, i) => wrap(bold, safe(bold, c.label, cache), 7.5, ws[i]!, 3));
    const headerHeight = Math.max(...labels.map((l) => l.length)) * HEADER_LINE + 15;
    const header = () => {
      const lines = Math.max(...labels.map((l) => l.length));
      // Headers sit on a common bottom line, so a one-line header lines up with the last line of a long one.
      labels.forEach((l, i) => {
        l.forEach((line, k) => {
          const at = y - (lines - l.length + k) * HEADER_LINE;
          const right = table.columns[i]!.kind !== 'text';
          const dx = right ? ws[i]! - bold.widthOfTextAtSize(line, 7.5) : 0;
          page.drawText(line, { x: xs[i]! + dx, y: at, size: 7.5, font: bold, color: INK });
        });
      });
      y -= (lines - 1) * HEADER_LINE + 4;
      page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
      y -= 11;
    };
    room(16 + headerHeight + ROW * Math.min(3, table.rows.length));
    text(table.title, MARGIN, 12, bold, width);
    y -= 16;
    header();
    for (const row of table.rows) {
      if (y < bottom) {
        newPage();
        text(table.title, MARGIN, 10, bold, width);
        y -= 14;
        header();
      }
      row.forEach((v, i) => text(formatCell(v, table.columns[i]!, locale), xs[i]!, 8.5, i === 0 ? bold : regular, ws[i]!, table.columns[i]!.kind !== 'text'));
      y -= 12;
    }
    if (table.note) {
      // What a hidden cell means travels with the table (observers' PDFs).
      for (const line of wrap(regular, safe(regular, table.note, cache), 7.5, width, 4)) {
        if (y < bottom) newPage();
        text(line, MARGIN, 7.5, regular, width);
        y -= 10;
      }
    }
    y -= 14;
  }
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = `${i + 1} / ${pages.length}`;
    p.drawText(label, { x: PAGE[0] - MARGIN - regular.widthOfTextAtSize(label, 8), y: MARGIN - 10, size: 8, font: regular, color: INK });
  });
  return doc.save();
}
