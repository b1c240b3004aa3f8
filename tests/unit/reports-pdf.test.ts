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
});
