import { describe, expect, it } from 'vitest';
import { translateCount } from '../../src/i18n/index.ts';

describe('counted messages', () => {
  it('take the singular form for one and the plural otherwise, in both languages', () => {
    expect(translateCount('es', 'admin.import.commit', 1)).toBe('Importar 1 persona');
    expect(translateCount('es', 'admin.import.commit', 2)).toBe('Importar 2 personas');
    expect(translateCount('es', 'admin.import.commit', 0)).toBe('Importar 0 personas');
    expect(translateCount('en', 'admin.import.commit', 1)).toBe('Import 1 person');
    expect(translateCount('en', 'admin.import.commit', 200)).toBe('Import 200 people');
    expect(translateCount('es', 'admin.import.ready', 1)).not.toMatch(/Las 1 filas/);
    expect(translateCount('es', 'admin.import.summary', 1, { file: 'a.csv', country: 'GT' })).toBe('Archivo «a.csv»: 1 fila para GT.');
  });

  it('falls back to the .other form for a category the message does not spell out (Spanish "many" for a million)', () => {
    expect(new Intl.PluralRules('es').select(1_000_000)).toBe('many');
    expect(translateCount('es', 'admin.import.commit', 1_000_000)).toMatch(/^Importar 1.000.000 personas$/);
  });
});
