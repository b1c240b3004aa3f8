// The CSV export, and the scope and filters every report query starts from (observers' protection: reports-protect,
// reports-observer).
import { describe, expect, it } from 'vitest';
import { countryScope } from '../../src/server/policy.ts';
import { narrowScope, parseFilters } from '../../src/server/reports/scope.ts';
import ExcelJS from 'exceljs';
import { SUPPRESSED, toCsv, toXlsx, type ExportWords, type ReportTable } from '../../src/server/reports/table.ts';

const table: ReportTable = {
  id: 'x',
  title: 'Cobertura',
  columns: [
    { key: 'country', label: 'País', kind: 'text' },
    { key: 'holders', label: 'Con certificado', kind: 'count' },
    { key: 'target', label: 'Meta', kind: 'number' },
    { key: 'rate', label: 'Cobertura', kind: 'percent', dependsOn: 'holders' },
  ],
  rows: [
    ['Belice', 4, 300, 4 / 300],
    ['Costa Rica', 5, 300, 5 / 300],
    ['Panamá', 0, 300, 0],
    ['México', 1200, 5000, 0.24],
  ],
};

describe('the export of a table', () => {
  const words: ExportWords = { percentHeader: (c) => `${c} (%)`, hiddenHeader: (c) => `${c}: cifra oculta`, hiddenValue: 'oculta' };

  it('writes the rows as shown; a share column says its unit and holds only numbers, its hidden cells flagged beside the table (CSV with a BOM)', () => {
    const shown: ReportTable = { ...table, rows: [['Belice', SUPPRESSED, 300, SUPPRESSED], ...table.rows.slice(1, 2), ['Panamá', SUPPRESSED, 300, SUPPRESSED], table.rows[3]!] };
    const csv = toCsv(shown, words);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'País,Con certificado,Meta,Cobertura (%),Cobertura (%): cifra oculta',
      'Belice,*,300,,oculta',
      'Costa Rica,5,300,1.7,',
      'Panamá,*,300,,oculta',
      'México,1200,5000,24.0,',
      '',
    ]);
  });

  it('adds no flag column when no share is hidden', () => {
    expect(toCsv(table, words).slice(1).split('\r\n')[0]).toBe('País,Con certificado,Meta,Cobertura (%)');
  });

  it('sizes XLSX columns to their content, not to the header alone; shares as numbers with one decimal', async () => {
    const long = 'Secretaría contra la Violencia Sexual, Explotación y Trata de Personas';
    const wide: ReportTable = { ...table, rows: [[long, SUPPRESSED, 300, SUPPRESSED], ...table.rows.slice(1)] };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(wide, words)) as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'País', 'Con certificado', 'Meta', 'Cobertura (%)', 'Cobertura (%): cifra oculta']);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(long.length);
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual('Cobertura'.length + 2);
    expect(sheet.getCell('D2').value).toBeNull();
    expect(sheet.getCell('E2').value).toBe('oculta');
    expect(sheet.getCell('D5').value).toBe(24);
    expect(sheet.getColumn(4).numFmt).toBe('0.0');
  });

  it('quotes separators and neutralises formulas', () => {
    const csv = toCsv({ id: 'y', title: 'y', columns: [{ key: 'a', label: 'a', kind: 'text' }], rows: [['Pérez, "Ana"'], ['=HYPERLINK("x")']] });
    expect(csv).toContain('"Pérez, ""Ana"""');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('scope', () => {
  const committee = { id: 1, role: 'committee' as const, countryCode: 'GT', specialistStatus: 'none' as const, active: true };
  const coordinator = { ...committee, role: 'coordinator' as const, countryCode: null };
  it('lets a committee narrow only to its own country', () => {
    expect(narrowScope(countryScope(committee, 'dashboard.view'), 'GT')).toEqual({ kind: 'country', countryCode: 'GT' });
    expect(narrowScope(countryScope(committee, 'dashboard.view'), 'HN')).toBeNull();
    expect(narrowScope(countryScope(coordinator, 'dashboard.view'), 'HN')).toEqual({ kind: 'country', countryCode: 'HN' });
    expect(narrowScope(countryScope(coordinator, 'dashboard.view'), "GT' OR 1=1")).toBeNull();
  });
  it('parses filters defensively', () => {
    expect(parseFilters(new URLSearchParams('track=basico&course=x;drop&sector=police&institution=-3&from=2026-13&to=2026-02'))).toEqual({ programme: 'basico', sector: 'police', to: 202602 });
    expect(parseFilters(new URLSearchParams('from=2026-05&to=2026-01'))).toEqual({ from: 202601, to: 202605 });
  });
});
