import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { auditLog, emailTokens, importBatches, mailOutbox, users } from '../../db/schema.ts';
import { zipSync } from 'fflate';
import { commitImport, createImportPreview, MAX_IMPORT_BYTES, parseImportFile } from '../../src/server/admin/import.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const ORIGIN = 'http://capacita.test';

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Rewrites the uncompressed size of every entry, in the local headers and the central directory, to 1 KB. */
function understateSizes(zip: Uint8Array): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 30 <= copy.length; at += 1) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint32(at + 22, 1024, true);
    else if (signature === 0x02014b50) view.setUint32(at + 24, 1024, true);
  }
  return copy;
}

function csv(rows: string[][]): Uint8Array {
  return encode(rows.map((r) => r.join(',')).join('\n'));
}

describe('bulk import', () => {
  let t: TestDatabase;
  let committee: TestActor;
  beforeEach(async () => {
    t = await createTestDatabase();
    committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
  });
  afterEach(() => t.close());

  it('reads CSV with comma or semicolon, Spanish or English headers, and XLSX', async () => {
    const a = await parseImportFile(encode('Nombre;Correo;Institución;Especializado\nAna Pérez;ana@x.gt;MP;sí\n'), 'a.csv');
    expect(a).toEqual([{ line: 2, name: 'Ana Pérez', email: 'ana@x.gt', institution: 'MP', role: '', specialist: 'sí', language: '' }]);
    const b = await parseImportFile(encode('\uFEFFname,email,institution,role\n"Pérez, Ana",ana@x.gt,Ministerio Público,learner\n'), 'b.csv');
    expect(b[0]!.name).toBe('Pérez, Ana');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['Name', 'E-mail', 'Institution']);
    sheet.addRow(['Luis Gómez', 'luis@x.gt', 'PNC']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await parseImportFile(bytes, 'people.xlsx')).toEqual([{ line: 2, name: 'Luis Gómez', email: 'luis@x.gt', institution: 'PNC', role: '', specialist: '', language: '' }]);
    await expect(parseImportFile(encode('foo,bar\n1,2\n'), 'x.csv')).rejects.toMatchObject({ key: 'admin.import.missingColumns' });
  });

  it('reads the optional position and sex columns, refuses an unknown answer, and stores them on the new accounts', async () => {
    const rows = await parseImportFile(
      encode('Nombre,Correo,Institución,Cargo,Sexo\nAna Pérez,ana@x.gt,MP,"Fiscal, Quetzaltenango",Mujer\nLuis Gómez,luis@x.gt,MP,,\nEva Ruiz,eva@x.gt,MP,Jefa,otro\n'),
      'p.csv',
    );
    expect(rows[0]).toMatchObject({ position: 'Fiscal, Quetzaltenango', sex: 'Mujer' });
    const preview = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'p.csv', rows });
    expect(preview.rows.map((r) => r.errors)).toEqual([[], [], ['admin.import.error.sex']]);
    const fixed = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'p.csv', rows: rows.slice(0, 2) });
    expect(await commitImport(t.db, committee, fixed.batchId, { origin: ORIGIN })).toMatchObject({ ok: true, created: 2 });
    const stored = await t.db.select({ email: users.email, position: users.position, sex: users.sex }).from(users).where(sql`${users.email} IN ('ana@x.gt', 'luis@x.gt')`);
    expect(stored.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: 'ana@x.gt', position: 'Fiscal, Quetzaltenango', sex: 'female' },
      { email: 'luis@x.gt', position: null, sex: null },
    ]);
  });

  it('refuses (413) a file over the size cap and a workbook that inflates past its cap, even when its headers understate it', async () => {
    await expect(parseImportFile(new Uint8Array(MAX_IMPORT_BYTES + 1), 'big.csv')).rejects.toMatchObject({ code: 'tooLarge', key: 'admin.import.fileTooLarge' });

    // A real workbook whose sheet is padded with a run of spaces that deflates to almost nothing.
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('People').addRow(['Name', 'E-mail', 'Institution']);
    const honest = new Uint8Array(await workbook.xlsx.writeBuffer());
    const { unzipSync } = await import('fflate');
    const files = unzipSync(honest);
    const sheet = Object.keys(files).find((name) => /^xl\/worksheets\/.+\.xml$/.test(name))!;
    // A 4 MB cap here keeps the test light; the server's is MAX_WORKBOOK_INFLATED_BYTES.
    const cap = 4 * 1024 * 1024;
    const padding = new Uint8Array(cap + 1024).fill(0x20);
    const bomb = zipSync({ ...files, [sheet]: concat(unzipSync(honest)[sheet]!, padding) }, { level: 1 });
    expect(bomb.byteLength).toBeLessThan(MAX_IMPORT_BYTES);
    await expect(parseImportFile(bomb, 'bomb.xlsx', cap)).rejects.toMatchObject({ code: 'tooLarge', key: 'admin.import.workbookTooLarge' });

    // The same archive with every declared size rewritten to 1 KB: refused all the same, by what it actually inflates to.
    await expect(parseImportFile(understateSizes(bomb), 'bomb.xlsx', cap)).rejects.toMatchObject({ code: 'tooLarge', key: 'admin.import.workbookTooLarge' });
    // A "folder" entry holding the same run of spaces.
    await expect(parseImportFile(zipSync({ ...files, 'xl/media/': padding }, { level: 1 }), 'bomb.xlsx', cap)).rejects.toMatchObject({ code: 'tooLarge' });
    // The honest workbook still reads.
    await expect(parseImportFile(honest, 'ok.xlsx', cap)).rejects.toMatchObject({ key: 'admin.import.empty' });
  });

  it('reports every bad row in the preview and writes nothing until fixed', async () => {
    await createPerson(t.db, { role: 'learner', countryCode: 'GT', email: 'taken@x.gt' });
    const rows = await parseImportFile(
      csv([
        ['name', 'email', 'institution', 'role', 'specialist'],
        ['Ana Pérez', 'ana@x.gt', 'MP', '', 'sí'],
        ['Bad Mail', 'not-an-email', 'MP', '', ''],
        ['Unknown Inst', 'u@x.gt', 'Ministerio de Nada', '', ''],
        ['Dup One', 'dup@x.gt', 'PNC', '', ''],
        ['Dup Two', 'DUP@x.gt', 'PNC', '', ''],
        ['Already', 'taken@x.gt', 'PNC', '', ''],
        ['Honduran Inst', 'h@x.gt', 'INM', '', ''],
        ['Bad role', 'r@x.gt', 'PNC', 'admin', ''],
      ]),
      'people.csv',
    );
    const preview = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'people.csv', rows });
    const errors = Object.fromEntries(preview.rows.map((r) => [r.line, r.errors]));
    expect(errors).toEqual({
      2: [],
      3: ['admin.import.error.email'],
      4: ['admin.import.error.institution'],
      5: [],
      6: ['admin.import.error.duplicateInFile'],
      7: ['admin.import.error.existsInDatabase'],
      8: ['admin.import.error.institution'],
      9: ['admin.import.error.role'],
    });
    const before = await t.db.select({ n: sql<number>`count(*)` }).from(users);
    const result = await commitImport(t.db, committee, preview.batchId, { origin: ORIGIN });
    expect(result).toEqual({ ok: false, error: 'hasErrors', errorCount: 6 });
    const after = await t.db.select({ n: sql<number>`count(*)` }).from(users);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await t.db.select().from(mailOutbox)).toHaveLength(0);
  });

  it('commits all rows with tokens and queued invitations, and is idempotent with the same file', async () => {
    const file = csv([
      ['name', 'email', 'institution', 'specialist', 'language'],
      ...Array.from({ length: 250 }, (_, i) => [`Persona ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`, `p${i}@x.gt`, i % 2 ? 'MP' : 'Policía Nacional Civil', i === 0 ? 'yes' : '', i === 1 ? 'en' : '']),
    ]);
    const rows = await parseImportFile(file, 'a.csv');
    const preview = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'a.csv', rows });
    expect(preview.errorCount).toBe(0);
    const progress: number[] = [];
    const result = await commitImport(t.db, committee, preview.batchId, { origin: ORIGIN, onProgress: (done) => progress.push(done) });
    expect(result).toMatchObject({ ok: true, created: 250, alreadyImported: false });
    expect(progress.at(-1)).toBe(250);
    const created = await t.db.select().from(users).where(sql`${users.emailKey} LIKE '%@x.gt'`);
    expect(created).toHaveLength(250);
    expect(created.every((u) => u.passwordHash === null && u.countryCode === 'GT')).toBe(true);
    expect(created.find((u) => u.email === 'p0@x.gt')!.specialistStatus).toBe('approved');
    expect(created.find((u) => u.email === 'p1@x.gt')!.locale).toBe('en');
    expect(await t.db.select().from(emailTokens).where(eq(emailTokens.purpose, 'invitation'))).toHaveLength(250);
    const mails = await t.db.select().from(mailOutbox);
    expect(mails).toHaveLength(250);
    expect(mails.find((m) => m.toAddress === 'p1@x.gt')!.subject).toBe('Invitation to Capacita');
    expect(mails[0]!.text).toMatch(new RegExp(`${ORIGIN}/(es|en)/invitation/[a-z0-9]+`));

    // The same file again: the preview says so, and committing writes nothing new.
    const again = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'a-copy.csv', rows: await parseImportFile(file, 'a-copy.csv') });
    expect(again.alreadyImported).toMatchObject({ batchId: preview.batchId, created: 250 });
    expect(await commitImport(t.db, committee, again.batchId, { origin: ORIGIN })).toMatchObject({ ok: true, alreadyImported: true, created: 250 });
    // Committing the first batch twice (double submit) is also harmless.
    expect(await commitImport(t.db, committee, preview.batchId, { origin: ORIGIN })).toMatchObject({ ok: true, alreadyImported: true });
    expect(await t.db.select().from(mailOutbox)).toHaveLength(250);
    expect(await t.db.select().from(importBatches).where(eq(importBatches.status, 'committed'))).toHaveLength(1);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'people.import'));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: committee.id, countryCode: 'GT' });
  });

  it('keeps a committee to its own country', async () => {
    const honduras = await createPerson(t.db, { role: 'committee', countryCode: 'HN' });
    const rows = await parseImportFile(csv([['name', 'email', 'institution'], ['Ana', 'ana@x.gt', 'MP']]), 'a.csv');
    await expect(createImportPreview(t.db, honduras, { countryCode: 'GT', fileName: 'a.csv', rows })).rejects.toMatchObject({ code: 'forbidden' });
    const preview = await createImportPreview(t.db, committee, { countryCode: 'GT', fileName: 'a.csv', rows });
    await expect(commitImport(t.db, honduras, preview.batchId, { origin: ORIGIN })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
