// The CSV export, and the scope and filters every report query starts from (observers' protection: reports-protect,
// reports-observer).
import { describe, expect, it } from 'vitest';
import { countryScope } from '../../src/server/policy.ts';
import { narrowScope, parseFilters } from '../../src/server/reports/scope.ts';
import { SUPPRESSED, toCsv, type ReportTable } from '../../src/server/reports/table.ts';

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
  it('writes the rows as shown, hidden cells as "*" (CSV with a BOM, machine-readable numbers)', () => {
    const shown: ReportTable = { ...table, rows: [['Belice', SUPPRESSED, 300, SUPPRESSED], ...table.rows.slice(1, 2), ['Panamá', SUPPRESSED, 300, SUPPRESSED], table.rows[3]!] };
    const csv = toCsv(shown);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['País,Con certificado,Meta,Cobertura', 'Belice,*,300,*', 'Costa Rica,5,300,1.7', 'Panamá,*,300,*', 'México,1200,5000,24.0', '']);
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
