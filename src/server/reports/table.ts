// The one shape every dashboard view takes before it is shown or exported: the page renders these rows and the
// CSV/XLSX export writes the same rows, so what is downloaded is what is on screen. Views (src/server/reports/views/)
// build tables whose words are Terms — message keys and references to named data — and the pages translate them
// (src/app/dashboard.ts, localizeTable): src/server never picks a language. Observers' tables are protected by
// src/server/reports/protect.ts before they leave the server.
import ExcelJS from 'exceljs';
import { intlLocale, type MessageKey } from '../../i18n/index.ts';

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

export const dependencies = (column: ReportColumn<unknown>): string[] =>
  column.dependsOn === undefined ? [] : Array.isArray(column.dependsOn) ? column.dependsOn : [column.dependsOn];

// Number formatters are costly to create (Number#toLocaleString builds one per call): one per locale and kind.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: 'es' | 'en', kind: ReportColumn['kind']): Intl.NumberFormat {
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      kind === 'percent' ? { maximumFractionDigits: 1, minimumFractionDigits: 1 } : kind === 'number' ? { maximumFractionDigits: 2 } : {};
    formatters.set(key, (f = new Intl.NumberFormat(intlLocale(locale), options)));
  }
  return f;
}

/** How a cell reads on screen and in CSV (percent with one decimal, numbers as they are). */
export function formatCell(value: Cell, column: ReportColumn, locale: 'es' | 'en'): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (column.kind === 'percent') return `${formatter(locale, 'percent').format(value * 100)} %`;
  return formatter(locale, column.kind).format(value);
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

const quote = (s: string) => (/[",\n\r;]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s);

/** RFC 4180 CSV with a UTF-8 BOM (so spreadsheets read accents); formula-like text is neutralised. */
export function toCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => quote(c.label)).join(',')];
  for (const row of table.rows) lines.push(row.map((v, i) => quote(csvValue(v, table.columns[i]!))).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function toXlsx(table: ReportTable): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Capacita';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  sheet.addRow(table.columns.map((c) => c.label)).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(
      row.map((v, i) => {
        const column = table.columns[i]!;
        if (column.kind === 'percent' && typeof v === 'number') return Math.round(v * 1000) / 10;
        return v ?? '';
      }),
    );
  }
  table.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(10, c.label.length + 2));
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
