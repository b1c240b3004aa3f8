// The one shape every dashboard view takes before it is shown or exported: the page renders these rows and the
// CSV/XLSX export writes the same rows, so what is downloaded is what is on screen. Observers get the rows through
// suppressSmallCells: any count of fewer than 5 people becomes "<5", and so does every figure derived from it.
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface ReportColumn {
  key: string;
  label: string;
  /** count: a number of people (suppressible); number: any other number; percent: 0–1 shown as %; text. */
  kind: 'text' | 'count' | 'number' | 'percent';
  /** Key of the count column this figure is computed from: suppressed together with it. */
  dependsOn?: string;
}

export interface ReportTable {
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: Cell[][];
  /** Row header column index (rendered as <th scope="row">). */
  rowHeader?: number;
}

export const SUPPRESSED = '<5';
export const MIN_CELL = 5;

/** Replaces every people count below MIN_CELL (and the figures computed from it) by "<5". */
export function suppressSmallCells(table: ReportTable, minimum = MIN_CELL): ReportTable {
  const index = new Map(table.columns.map((c, i) => [c.key, i]));
  const rows = table.rows.map((row) =>
    row.map((value, i) => {
      const column = table.columns[i]!;
      const small = (v: Cell) => typeof v === 'number' && v < minimum;
      if (column.kind === 'count' && small(value)) return SUPPRESSED;
      if (column.dependsOn !== undefined) {
        const source = row[index.get(column.dependsOn) ?? -1];
        if (small(source ?? null) || source === SUPPRESSED) return SUPPRESSED;
      }
      return value;
    }),
  );
  return { ...table, rows };
}

// Number formatters are costly to create (Number#toLocaleString builds one per call): one per locale and kind.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: 'es' | 'en', kind: ReportColumn['kind']): Intl.NumberFormat {
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      kind === 'percent' ? { maximumFractionDigits: 1, minimumFractionDigits: 1 } : kind === 'number' ? { maximumFractionDigits: 2 } : {};
    formatters.set(key, (f = new Intl.NumberFormat(locale === 'es' ? 'es-419' : 'en-GB', options)));
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
