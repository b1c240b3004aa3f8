// Files as Excel on Windows saves them: "CSV" in Windows-1252, "CSV UTF-8" with a BOM, "Unicode text" as UTF-16 —
// written here byte by byte, not through a UTF-8 string, so the test holds the bytes a committee actually uploads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImportPreview, parseImportFile } from '../../src/server/admin/import.ts';
import { decodeText } from '../../src/server/admin/text-encoding.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';

/** Windows-1252 bytes of a text made of ASCII and Latin-1 letters (in 1252 those code points are one byte each). */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => {
    const code = c.codePointAt(0)!;
    if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`not a Latin-1 letter: ${c}`);
    return code;
  }));
}

const FILE = 'Nombre;Correo;Institución;Especializado\r\nJosé Núñez;jose@x.gt;Ministerio Público;sí\r\nMaría Ibáñez;maria@x.gt;PNC;no\r\n';

describe('CSV encodings', () => {
  it('reads a Windows-1252 file: the "Institución" header and accented names arrive whole', async () => {
    const bytes = windows1252(FILE);
    expect(bytes[bytes.indexOf(0x49) + 9]).toBe(0xf3); // "ó" of Institución is the single byte 0xF3
    expect(decodeText(bytes).encoding).toBe('windows-1252');
    const rows = await parseImportFile(bytes, 'personas.csv');
    expect(rows.map((r) => [r.name, r.institution, r.specialist])).toEqual([
      ['José Núñez', 'Ministerio Público', 'sí'],
      ['María Ibáñez', 'PNC', 'no'],
    ]);
  });

  it('reads UTF-8 with and without a BOM, and UTF-16 with its BOM, to the same rows', async () => {
    const utf8 = new TextEncoder().encode(FILE);
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]);
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...FILE].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    const expected = await parseImportFile(windows1252(FILE), 'a.csv');
    for (const [bytes, encoding] of [[utf8, 'utf-8'], [withBom, 'utf-8'], [utf16, 'utf-16le']] as const) {
      expect(decodeText(bytes).encoding).toBe(encoding);
      expect(await parseImportFile(bytes, 'a.csv')).toEqual(expected);
    }
  });

  describe('with a database', () => {
    let t: TestDatabase;
    let committee: TestActor;
    beforeEach(async () => {
      t = await createTestDatabase();
      committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    });
    afterEach(() => t.close());

    it('refuses a row whose letters were already lost (U+FFFD) with a message that says so', async () => {
      const garbled = new TextEncoder().encode('Nombre;Correo;Institución\nJos\uFFFD \uFFFD\uFFFD\uFFFDez;jose@x.gt;PNC\nAna Gómez;ana@x.gt;PNC\n');
      const rows = await parseImportFile(garbled, 'garbled.csv');
      const preview = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'garbled.csv', rows });
      expect(preview.rows.map((r) => r.errors)).toEqual([['admin.import.error.lostCharacters'], []]);
      expect(preview.errorCount).toBe(1);
    });
  });
});
