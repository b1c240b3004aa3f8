// The semester report PDF carries its tables' figures and notes (what "*" means for an observer).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { semesterPdf } from '../../src/server/reports/pdf.ts';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('semester report PDF', () => {
  it.runIf(hasPdftotext)('writes the figures, hidden marks and the note of each table', async () => {
    const pdf = await semesterPdf('Informe semestral 2025-2: Región', 'Del 1 de julio al 31 de diciembre', [
      { id: 'x', title: 'Por país', columns: [{ key: 'c', label: 'País', kind: 'text' }, { key: 'n', label: 'Con certificado', kind: 'count' }], rows: [['Guatemala', 27], ['Belice', '*']], rowHeader: 0, note: '«*»: cifra no mostrada' },
    ], 'es');
    const dir = mkdtempSync(join(tmpdir(), 'capacita-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Guatemala\s+27/);
    expect(text).toMatch(/Belice\s+\*/);
    expect(text).toContain('«*»: cifra no mostrada');
  });

  it.runIf(hasPdftotext)('wraps long headers instead of cutting them, charts a share table on 0–100 %, titles and numbers every page', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`Institución ${i + 1}`, i + 1, 40, (i + 1) / 400]);
    const pdf = await semesterPdf('Informe semestral 2026-1: Guatemala', 'Del 1 de enero al 30 de junio', [
      {
        id: 'c',
        title: 'Avance de la cobertura',
        columns: [
          { key: 'track', label: 'Institución', kind: 'text' },
          { key: 'holders', label: 'Con certificado vigente al cierre del semestre', kind: 'count' },
          { key: 'target', label: 'Meta', kind: 'number' },
          { key: 'rate', label: 'Cobertura', kind: 'percent', dependsOn: 'holders' },
        ],
        rows,
        rowHeader: 0,
      },
    ], 'es');
    const dir = mkdtempSync(join(tmpdir(), 'capacita-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(2);
    // Every word of the long header is there, none cut with "…".
    for (const word of ['Con', 'certificado', 'vigente', 'cierre', 'semestre']) expect(text).toContain(word);
    expect(text).not.toMatch(/vi…/);
    // The chart: bars labelled with the table's own format, on an axis that ends at 100 %.
    expect(text).toMatch(/Avance de la cobertura · Cobertura/);
    expect(text).toMatch(/0 ?%\s+20 %\s+40 %\s+60 %\s+80 %\s+100 %/);
    expect(text).toContain('15.0 %');
    // Every page says which report it belongs to and its number.
    pages.forEach((p, i) => {
      expect(p).toContain('Informe semestral 2026-1: Guatemala');
      expect(p).toMatch(new RegExp(`${i + 1} ?/ ?${pages.length}`));
    });
  });
});
