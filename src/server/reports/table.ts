// The one shape every dashboard view takes before it is shown or exported: the page renders these rows and the
// CSV/XLSX export writes the same rows, so what is downloaded is what is on screen. Views (src/server/reports/views/)
// build tables whose words are Terms — message keys and references to named data — and the pages translate them
// (src/app/dashboard.ts, localizeTable): src/server never picks a language. Observers' tables are protected by
// src/server/reports/protect.ts before they leave the server.
import ExcelJS from 'exceljs';
import type { MessageKey } from '../../i18n/index.ts';
import { formatNumber } from '../../i18n/format.ts';

/** Words translated at the edge: a message, a name looked up by id, a date, or several terms joined by " · ". */
export type Term =
  | { message: MessageKey; params?: Record<string, string | number | Term> }
  | { track: string }
  | { country: string }
  | { sector: string }
  | { course: string }
  | { question: string }
  | { topic: string }
  | { response: string; question: string }
  | { date: number }
  | { join: Term[]; sep?: string };

/** A shown cell: a figure, a text, or nothing (—). */
export type Cell = string | number | null;

export interface ReportColumn<L = string> {
  key: string;
  label: L;
  /** count: a number of people (suppressible); number: any other number; percent: 0–1 shown as %; text. */
  kind: 'text' | 'count' | 'number' | 'percent';
  /** Keys of the count columns this figure is computed from: hidden together with any of them. */
  dependsOn?: string | string[];
}

/** `L` is string once translated; Term in the views. */
export interface ReportTable<L = string> {
  id: string;
  title: L;
  columns: ReportColumn<L>[];
  rows: (Cell | Exclude<L, string>)[][];
  /** Row header column index (rendered as <th scope="row">). */
  rowHeader?: number;
  /** A note under the table (e.g. what a hidden cell means). */
  note?: L;
  /** Rows are shown ordered by the translated text of this column (names sort differently per language)… */
  sortBy?: number;
  /** …except the last `fixedLast` rows (totals), which stay last. */
  fixedLast?: number;
}

/** A table as a view builds it, before translation. */
export type ViewTable = ReportTable<Term>;

/** What a hidden cell shows: the same mark whether it was small or hidden to protect a small one (see protect.ts). */
export const SUPPRESSED = '*';
export const MIN_CELL = 5;

/** How a cell reads on screen and in CSV (percent with one decimal, numbers as they are). */
export function formatCell(value: Cell, column: ReportColumn, locale: 'es' | 'en'): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return formatNumber(locale, value, column.kind === 'text' ? 'number' : column.kind);
}

const CSV_PERCENT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1, useGrouping: false });
const CSV_NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });

/** A plain machine-readable value for CSV: numbers unformatted (percent as 0–100 with one decimal). */
function csvValue(value: Cell, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // Same rounding as the screen (Intl), so a downloaded figure never differs from the one shown.
  if (column.kind === 'percent') return CSV_PERCENT.format(value * 100);
  if (column.kind === 'number') return CSV_NUMBER.format(value);
  return String(value);
}

/** The words an export adds to the table: the unit of a share column and the flag of a hidden share. */
export interface ExportWords {
  /** Header of a share column in a file, where its values are points 0–100: "Cobertura (%)". */
  percentHeader: (label: string) => string;
  /** Header of the column that says a share beside it is hidden: "Cobertura (%) — oculta". */
  hiddenHeader: (label: string) => string;
  /** What that column holds for a hidden share. */
  hiddenValue: string;
}

const ENGLISH_WORDS: ExportWords = { percentHeader: (l) => `${l} (%)`, hiddenHeader: (l) => `${l} — hidden`, hiddenValue: 'hidden' };

const isHidden = (v: Cell | undefined) => typeof v === 'string';

/**
 * The columns a file writes: the table's, with the unit in share headers, then one flag column per share column that
 * has hidden cells. A share column holds only numbers or nothing, so a spreadsheet can sum and chart it; which cells
 * are hidden (fewer than 5 people, protect.ts) is said in the flag column, not by a "*" among the figures.
 */
function exportLayout(table: ReportTable, words: ExportWords) {
  const headers = table.columns.map((c) => (c.kind === 'percent' ? words.percentHeader(c.label) : c.label));
  const flagged = table.columns.flatMap((c, i) => (c.kind === 'percent' && table.rows.some((row) => isHidden(row[i])) ? [i] : []));
  return {
    headers: [...headers, ...flagged.map((i) => words.hiddenHeader(headers[i]!))],
    cells: (row: (Cell | string)[]) => {
      const shown = row.map((v, i) => (table.columns[i]!.kind === 'percent' && isHidden(v) ? null : v));
      return { shown, flags: flagged.map((i) => (isHidden(row[i]) ? words.hiddenValue : '')) };
    },
  };
}

const quote = (s: string) => (/[",\n\r;]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s);

/** RFC 4180 CSV with a UTF-8 BOM (so spreadsheets read accents); formula-like text is neutralised. */
export function toCsv(table: ReportTable, words: ExportWords = ENGLISH_WORDS): string {
  const layout = exportLayout(table, words);
  const lines = [layout.headers.map(quote).join(',')];
  for (const row of table.rows) {
    const { shown, flags } = layout.cells(row);
    lines.push([...shown.map((v, i) => quote(csvValue(v, table.columns[i]!))), ...flags.map(quote)].join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Characters a cell needs, as a spreadsheet shows it (shares as points with one decimal). */
function xlsxText(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? CSV_NUMBER.format(value).length + 1 : String(value).length;
}

export async function toXlsx(table: ReportTable, words: ExportWords = ENGLISH_WORDS): Promise<Uint8Array> {
  const layout = exportLayout(table, words);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Capacita';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  const values = table.rows.map((row) => {
    const { shown, flags } = layout.cells(row);
    return [
      ...shown.map((v, i) => {
        const column = table.columns[i]!;
        if (column.kind === 'percent' && typeof v === 'number') return Math.round(v * 1000) / 10;
        return v ?? null; // an empty cell, not an empty text a formula would trip on
      }),
      ...flags.map((f) => f || null),
    ];
  });
  sheet.addRow(layout.headers).font = { bold: true };
  for (const row of values) sheet.addRow(row);
  // Wide enough for the longest value and for the header's longest word (a long header wraps onto two lines).
  layout.headers.forEach((header, i) => {
    const content = Math.max(0, ...values.map((row) => xlsxText(row[i])));
    const word = Math.max(...header.split(/\s+/).map((w) => w.length));
    const width = Math.min(80, Math.max(8, content + 2, word + 2, Math.min(header.length + 2, 24)));
    const column = sheet.getColumn(i + 1);
    column.width = width;
    if (i < table.columns.length && table.columns[i]!.kind === 'percent') column.numFmt = '0.0';
  });
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'bottom' };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
