// Bulk import of officials from CSV or XLSX. Three steps: parse the file, preview it (every row checked, nothing
// written except the staged rows), commit it (all rows in one transaction, or none). The same file committed twice
// for one country is refused by a unique index, so re-running an import is harmless.
import { existsSync, writeFileSync } from 'node:fs';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import type { Transaction } from '@libsql/client';
import type { Database } from '../../../db/client.ts';
import { importBatches, institutions, type Locale, type Sex } from '../../../db/schema.ts';
import { auditValues } from '../audit.ts';
import { INVITATION_LIFETIME, tokenHash } from '../auth/email-token.ts';
import { generateSessionToken } from '../auth/session.ts';
import { emailKey } from '../auth/user.ts';
import { invitationMail } from '../mail/templates.ts';
import { can, type Actor } from '../policy.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { measureInflatedSize, readZipEntries, ZipFormatError, ZipTooLargeError } from '../h5p/readZipEntries.ts';
import { checkPersonName } from '../person-name.ts';
import { checkPosition } from '../profile.ts';
import { decodeText, hasLostCharacters } from './text-encoding.ts';

export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/** One data row as read from the file (line = its line in the file, the header being line 1). */
export interface ImportRow {
  line: number;
  name: string;
  email: string;
  institution: string;
  role: string;
  specialist: string;
  language: string;
  /** Optional columns (src/server/profile.ts); absent in batches staged before they existed. */
  position?: string;
  sex?: string;
}

export type ImportRowError =
  | 'admin.import.error.name'
  | 'admin.import.error.nameCharacters'
  | 'admin.import.error.lostCharacters'
  | 'admin.import.error.email'
  | 'admin.import.error.institution'
  | 'admin.import.error.duplicateInFile'
  | 'admin.import.error.existsInDatabase'
  | 'admin.import.error.role'
  | 'admin.import.error.specialist'
  | 'admin.import.error.language'
  | 'admin.import.error.position'
  | 'admin.import.error.sex';

export interface CheckedRow extends ImportRow {
  errors: ImportRowError[];
  institutionId: number | null;
  roleValue: 'learner' | 'specialist';
  specialistValue: boolean;
  locale: Locale;
  positionValue: string | null;
  sexValue: Sex | null;
}

const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const HEADERS: Record<string, keyof Omit<ImportRow, 'line'>> = {
  name: 'name', nombre: 'name', fullname: 'name', nombrecompleto: 'name', nombreyapellidos: 'name',
  email: 'email', correo: 'email', correoelectronico: 'email', mail: 'email', emailaddress: 'email',
  institution: 'institution', institucion: 'institution',
  role: 'role', rol: 'role',
  specialist: 'specialist', specialised: 'specialist', specialized: 'specialist', especializado: 'specialist', especialista: 'specialist', unidadespecializada: 'specialist', specialisedunit: 'specialist',
  language: 'language', idioma: 'language', lang: 'language',
  position: 'position', cargo: 'position', puesto: 'position', cargoylugardetrabajo: 'position', dutystation: 'position', positionanddutystation: 'position',
  sex: 'sex', sexo: 'sex',
};

/** The sex column's answers in either language; empty = not answered. */
const SEX_VALUES: Record<string, Sex> = {
  mujer: 'female', f: 'female', femenino: 'female', female: 'female', woman: 'female',
  hombre: 'male', h: 'male', masculino: 'male', male: 'male', man: 'male',
  'prefiero no decirlo': 'undisclosed', 'prefiero no decir': 'undisclosed', 'no indica': 'undisclosed', 'prefer not to say': 'undisclosed', undisclosed: 'undisclosed',
};

function mapHeader(cells: string[]): (keyof Omit<ImportRow, 'line'> | null)[] {
  return cells.map((c) => HEADERS[fold(c).replace(/[^a-z]/g, '')] ?? null);
}

function toRows(table: string[][]): ImportRow[] {
  const [header, ...body] = table;
  if (!header) throw new DomainError('invalid', 'admin.import.empty');
  const columns = mapHeader(header);
  for (const required of ['name', 'email', 'institution'] as const) {
    if (!columns.includes(required)) throw new DomainError('invalid', 'admin.import.missingColumns');
  }
  const rows: ImportRow[] = [];
  body.forEach((cells, index) => {
    if (cells.every((c) => !c || !String(c).trim())) return;
    const row: ImportRow = { line: index + 2, name: '', email: '', institution: '', role: '', specialist: '', language: '' };
    columns.forEach((column, i) => {
      if (column) row[column] = String(cells[i] ?? '').trim();
    });
    rows.push(row);
  });
  if (rows.length === 0) throw new DomainError('invalid', 'admin.import.empty');
  if (rows.length > MAX_IMPORT_ROWS) throw new DomainError('invalid', 'admin.import.tooManyRows');
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return String(value.result ?? ''); // formula
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
}

/**
 * An XLSX file is a zip of XML: a few MB can inflate to gigabytes. Before the spreadsheet library (which inflates it
 * all in memory) sees it, every entry is inflated in small steps and counted — actual bytes, not what its headers
 * declare — and the workbook is refused (413) as soon as the total passes this. 20 000 rows of seven columns stay
 * far below it.
 */
export const MAX_WORKBOOK_INFLATED_BYTES = 64 * 1024 * 1024;
const MAX_WORKBOOK_ENTRIES = 1_000;

function checkWorkbookSize(bytes: Uint8Array, maxInflatedBytes: number): void {
  try {
    let left = maxInflatedBytes;
    // Directory entries too: a "folder" may hold data, and the spreadsheet library would inflate it.
    for (const entry of readZipEntries(bytes, MAX_WORKBOOK_ENTRIES)) {
      if (entry.isEncrypted) throw new DomainError('invalid', 'admin.import.unreadable');
      left -= measureInflatedSize(bytes, entry, left);
    }
  } catch (error) {
    if (error instanceof ZipTooLargeError) throw new DomainError('tooLarge', 'admin.import.workbookTooLarge');
    if (error instanceof ZipFormatError) throw new DomainError('invalid', 'admin.import.unreadable');
    throw error;
  }
}

/** Reads a CSV (comma or semicolon; UTF-8, UTF-16 or Windows-1252, see text-encoding.ts) or an XLSX file (its first sheet). */
export async function parseImportFile(bytes: Uint8Array, fileName: string, maxInflatedBytes = MAX_WORKBOOK_INFLATED_BYTES): Promise<ImportRow[]> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new DomainError('tooLarge', 'admin.import.fileTooLarge');
  const isXlsx = /\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b);
  if (isXlsx) {
    checkWorkbookSize(bytes, maxInflatedBytes);
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch {
      throw new DomainError('invalid', 'admin.import.unreadable');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new DomainError('invalid', 'admin.import.empty');
    const table: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = row.values as ExcelJS.CellValue[]; // 1-based
      table[rowNumber - 1] = values.slice(1).map(cellText);
    });
    for (let i = 0; i < table.length; i++) table[i] ??= [];
    return toRows(table);
  }
  const { text } = decodeText(bytes);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let table: string[][];
  try {
    table = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch {
    throw new DomainError('invalid', 'admin.import.unreadable');
  }
  return toRows(table);
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const YES = new Set(['si', 'yes', 'y', 's', '1', 'true', 'x', 'verdadero']);
const NO = new Set(['', 'no', 'n', '0', 'false', 'falso']);
const ROLE_VALUES: Record<string, 'learner' | 'specialist'> = {
  '': 'learner', learner: 'learner', participante: 'learner', aprendiz: 'learner', funcionario: 'learner', funcionaria: 'learner', official: 'learner',
  specialist: 'specialist', especialista: 'specialist', especializado: 'specialist', especializada: 'specialist',
};
const LANGUAGES: Record<string, Locale> = { '': 'es', es: 'es', espanol: 'es', spanish: 'es', en: 'en', english: 'en', ingles: 'en' };

/** Checks every row against the file itself and the database; nothing is written. */
export async function checkImportRows(db: Database, countryCode: string, rows: ImportRow[]): Promise<CheckedRow[]> {
  const list = await db
    .select({ id: institutions.id, name: institutions.name, acronym: institutions.acronym })
    .from(institutions)
    .where(and(eq(institutions.countryCode, countryCode), eq(institutions.active, true)));
  const byName = new Map<string, number>();
  for (const i of list) {
    byName.set(fold(i.name), i.id);
    if (i.acronym) byName.set(fold(i.acronym), i.id);
  }
  const keys = rows.map((r) => emailKey(r.email));
  // One query for every address of the file (a JSON array parameter), answered from the unique e-mail index.
  const unique = [...new Set(keys.filter((k) => EMAIL.test(k)))];
  const found = await db.$client.execute({ sql: 'SELECT email_key FROM users WHERE email_key IN (SELECT value FROM json_each(?))', args: [JSON.stringify(unique)] });
  const existing = new Set(found.rows.map((r) => String(r.email_key)));
  // The first row with an address is the one kept; later rows with the same address are the duplicates.
  const firstIndex = new Map<string, number>();
  keys.forEach((key, index) => {
    if (!firstIndex.has(key)) firstIndex.set(key, index);
  });

  return rows.map((row, index) => {
    const errors: ImportRowError[] = [];
    const key = keys[index]!;
    // A cell that already holds U+FFFD lost letters in an earlier conversion: importing it would create "Jos� P�rez".
    const lost = [row.name, row.email, row.institution].some(hasLostCharacters);
    if (lost) errors.push('admin.import.error.lostCharacters');
    const name = checkPersonName(row.name);
    // The lost-letters message says more than "characters not allowed" about the same cell.
    if (!name.ok && !(lost && name.error === 'errors.nameCharacters')) errors.push(name.error === 'errors.nameCharacters' ? 'admin.import.error.nameCharacters' : 'admin.import.error.name');
    if (!EMAIL.test(key) || key.length > 254) errors.push('admin.import.error.email');
    else if (firstIndex.get(key) !== index) errors.push('admin.import.error.duplicateInFile');
    else if (existing.has(key)) errors.push('admin.import.error.existsInDatabase');
    const institutionId = byName.get(fold(row.institution)) ?? null;
    if (!institutionId) errors.push('admin.import.error.institution');
    const roleValue = ROLE_VALUES[fold(row.role)];
    if (!roleValue) errors.push('admin.import.error.role');
    const flag = fold(row.specialist);
    if (!YES.has(flag) && !NO.has(flag)) errors.push('admin.import.error.specialist');
    const locale = LANGUAGES[fold(row.language)];
    if (!locale) errors.push('admin.import.error.language');
    const position = checkPosition(row.position);
    if (!position.ok) errors.push('admin.import.error.position');
    const sexText = fold(row.sex ?? '');
    const sexValue = sexText ? (SEX_VALUES[sexText] ?? null) : null;
    if (sexText && !sexValue) errors.push('admin.import.error.sex');
    return { ...row, name: name.ok ? name.name : row.name, errors, institutionId, roleValue: roleValue ?? 'learner', specialistValue: YES.has(flag), locale: locale ?? 'es', positionValue: position.ok ? position.value : null, sexValue };
  });
}

/**
 * The fingerprint of an import: the same rows give the same hash whether they came as CSV or XLSX. A workshop's
 * roster import names its workshop too, so one file can fill the rosters of two workshops, each once.
 */
export function importFingerprint(rows: ImportRow[], workshopId: number | null = null): string {
  // The optional columns only when a row has them, so a file imported before they existed keeps its fingerprint.
  const cells = rows.map((r) => [fold(r.name), emailKey(r.email), fold(r.institution), fold(r.role), fold(r.specialist), fold(r.language), ...(r.position || r.sex ? [fold(r.position ?? ''), fold(r.sex ?? '')] : [])]);
  const canonical = JSON.stringify(workshopId === null ? cells : { workshopId, cells });
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}

export interface ImportPreview {
  batchId: number;
  countryCode: string;
  fileName: string;
  status: 'preview' | 'committed';
  rows: CheckedRow[];
  errorCount: number;
  /** Set when this very file was already imported for the country. */
  alreadyImported: { batchId: number; created: number; committedAt: Date | null } | null;
  /** The workshop whose roster the import fills (src/server/workshops/roster-import.ts), or null. */
  workshopId: number | null;
}

async function findCommitted(db: Database, countryCode: string, fileHash: string) {
  const [row] = await db
    .select({ id: importBatches.id, created: importBatches.created, committedAt: importBatches.committedAt })
    .from(importBatches)
    .where(and(eq(importBatches.countryCode, countryCode), eq(importBatches.fileHash, fileHash), eq(importBatches.status, 'committed')));
  return row ? { batchId: row.id, created: row.created, committedAt: row.committedAt } : null;
}

/** Step 2: stages the parsed rows and reports every row's problems. Writes only the staging row. */
export async function createImportPreview(db: Database, actor: Actor, input: { countryCode: string; fileName: string; rows: ImportRow[]; workshopId?: number | null }): Promise<ImportPreview> {
  if (!can(actor, 'people.manage', { countryCode: input.countryCode })) throw forbidden();
  const workshopId = input.workshopId ?? null;
  const fileHash = importFingerprint(input.rows, workshopId);
  const checked = await checkImportRows(db, input.countryCode, input.rows);
  const [batch] = await db
    .insert(importBatches)
    .values({ actorId: actor.id, countryCode: input.countryCode, fileName: input.fileName.slice(0, 200), fileHash, rows: input.rows, rowCount: input.rows.length, workshopId })
    .returning({ id: importBatches.id });
  return {
    batchId: batch!.id,
    countryCode: input.countryCode,
    fileName: input.fileName,
    status: 'preview',
    rows: checked,
    errorCount: checked.filter((r) => r.errors.length > 0).length,
    alreadyImported: await findCommitted(db, input.countryCode, fileHash),
    workshopId,
  };
}

async function loadBatch(db: Database, actor: Actor, batchId: number) {
  const [batch] = await db.select().from(importBatches).where(eq(importBatches.id, batchId));
  if (!batch) throw notFound();
  if (!can(actor, 'people.manage', { countryCode: batch.countryCode })) throw forbidden();
  return batch;
}

/** The preview of a staged import, checked again (the database may have changed since the upload). */
export async function getImportPreview(db: Database, actor: Actor, batchId: number): Promise<ImportPreview> {
  const batch = await loadBatch(db, actor, batchId);
  const rows = batch.rows as ImportRow[];
  const committed = await findCommitted(db, batch.countryCode, batch.fileHash);
  // A committed import's rows now exist in the database: show them as they were, not as duplicates.
  const checked = batch.status === 'committed' ? rows.map((r) => ({ ...r, errors: [], institutionId: null, roleValue: 'learner' as const, specialistValue: false, locale: 'es' as const, positionValue: r.position ?? null, sexValue: null })) : await checkImportRows(db, batch.countryCode, rows);
  return {
    batchId: batch.id,
    countryCode: batch.countryCode,
    fileName: batch.fileName,
    status: batch.status,
    rows: checked,
    errorCount: checked.filter((r) => r.errors.length > 0).length,
    alreadyImported: batch.status === 'committed' ? null : committed,
    workshopId: batch.workshopId,
  };
}

export type CommitResult =
  | { ok: true; created: number; alreadyImported: boolean; batchId: number }
  | { ok: false; error: 'hasErrors'; errorCount: number };

export interface CommitOptions {
  origin: string;
  ip?: string | null;
  now?: number;
  /** Called as rows are written (done, total), for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Leave out the rows with errors (the preview showed them) instead of refusing the whole import: a workshop roster. */
  skipInvalid?: boolean;
  /**
   * More writes in the same transaction once the accounts exist (a workshop's roster): every checked row, and the new
   * account of each e-mail key created. Throwing rolls the whole import back.
   */
  withinCommit?: (tx: Transaction, imported: { rows: CheckedRow[]; created: ReadonlyMap<string, number> }, now: number) => Promise<void>;
}

const CHUNK = 500;

/**
 * Tests only: with CAPACITA_TEST_IMPORT_PAUSE=<file>, the commit writes that file after its first chunk, inside the
 * open transaction, and waits until the file is removed. tests/e2e/resilience-crash.spec.ts kills the server there,
 * so its kill lands inside the transaction every time instead of when a loaded machine happens to time it. Unset
 * (production), it does nothing.
 */
async function pauseInsideCommitForTests(rowsWritten: number): Promise<void> {
  const marker = process.env.CAPACITA_TEST_IMPORT_PAUSE;
  if (!marker) return;
  writeFileSync(marker, `paused inside the commit transaction after ${rowsWritten} rows\n`);
  while (existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
}

type SqlValue = string | number | null;

/** One multi-row INSERT; returns the RETURNING rows. Plain SQL here: drizzle's builder is slow at 10 000 rows. */
export async function insertRows(tx: Transaction, table: string, columns: string[], rows: SqlValue[][], returning?: string) {
  const placeholders = `(${columns.map(() => '?').join(',')})`;
  const result = await tx.execute({
    sql: `INSERT INTO ${table} (${columns.join(',')}) VALUES ${rows.map(() => placeholders).join(',')}${returning ? ` RETURNING ${returning}` : ''}`,
    args: rows.flat(),
  });
  return result.rows;
}

/**
 * Step 3: creates every account, its invitation token and its queued invitation e-mail in one transaction. Rows
 * with errors stop the whole import (or, with skipInvalid, are left out); the same file already committed answers
 * with the earlier result.
 */
export async function commitImport(db: Database, actor: Actor & { name: string }, batchId: number, options: CommitOptions): Promise<CommitResult> {
  const batch = await loadBatch(db, actor, batchId);
  const now = options.now ?? Date.now();
  const earlier = await findCommitted(db, batch.countryCode, batch.fileHash);
  if (earlier) return { ok: true, created: earlier.created, alreadyImported: true, batchId: earlier.batchId };

  const rows = batch.rows as ImportRow[];
  const checked = await checkImportRows(db, batch.countryCode, rows);
  const errorCount = checked.filter((r) => r.errors.length > 0).length;
  if (errorCount > 0 && !options.skipInvalid) return { ok: false, error: 'hasErrors', errorCount };
  const kept = errorCount > 0 ? checked.filter((r) => r.errors.length === 0) : checked;

  const names = new Map((await db.select({ id: institutions.id, name: institutions.name }).from(institutions).where(eq(institutions.countryCode, batch.countryCode))).map((i) => [i.id, i.name]));
  const total = kept.length;
  const createdIds = new Map<string, number>();
  const expiresAt = now + INVITATION_LIFETIME;
  options.onProgress?.(0, total);
  // The raw client's transaction rather than writeTransaction (db/busy.ts): the rows go in as plain multi-row SQL
  // (drizzle's builder is slow at 10 000 rows), progress is reported between chunks, and a busy or duplicate commit
  // must fail at the claim below rather than be repeated whole.
  const tx = await db.$client.transaction('write');
  try {
    // Claim the file first: a concurrent commit of the same file fails here (unique index), before writing anyone.
    await tx.execute({ sql: `UPDATE import_batches SET status = 'committed', created = ?, committed_at = ? WHERE id = ?`, args: [total, now, batch.id] });
    for (let start = 0; start < total; start += CHUNK) {
      const chunk = kept.slice(start, start + CHUNK);
      const created = await insertRows(
        tx,
        'users',
        ['name', 'email', 'email_key', 'password_hash', 'role', 'country_code', 'institution_id', 'locale', 'specialist_status', 'position', 'sex', 'created_at'],
        chunk.map((r) => [r.name, r.email, emailKey(r.email), null, r.roleValue, batch.countryCode, r.institutionId, r.locale, r.roleValue === 'specialist' || r.specialistValue ? 'approved' : 'none', r.positionValue, r.sexValue, now]),
        'id, email_key',
      );
      // RETURNING's row order is not guaranteed: match the new ids by e-mail.
      const idByKey = new Map(created.map((c) => [String(c.email_key), Number(c.id)]));
      for (const [key, userId] of idByKey) createdIds.set(key, userId);
      const tokens = chunk.map(() => generateSessionToken());
      await insertRows(
        tx,
        'email_tokens',
        ['id', 'purpose', 'user_id', 'expires_at', 'created_at'],
        chunk.map((r, i) => [tokenHash(tokens[i]!), 'invitation', idByKey.get(emailKey(r.email))!, expiresAt, now]),
      );
      const mails = chunk.map((r, i) =>
        invitationMail({
          to: r.email,
          name: r.name,
          locale: r.locale,
          url: `${options.origin}/${r.locale}/invitation/${tokens[i]}`,
          institution: names.get(r.institutionId!) ?? '',
          invitedBy: actor.name,
          expiresInDays: INVITATION_LIFETIME / 86_400_000,
        }),
      );
      await insertRows(
        tx,
        'mail_outbox',
        ['kind', 'to_address', 'to_name', 'locale', 'subject', 'text', 'status', 'attempts', 'next_attempt_at', 'created_at'],
        mails.map((m) => [m.kind, m.to, m.toName ?? null, m.locale, m.subject, m.text, 'queued', 0, now, now]),
      );
      options.onProgress?.(Math.min(start + CHUNK, total), total);
      if (start === 0) await pauseInsideCommitForTests(chunk.length);
    }
    await options.withinCommit?.(tx, { rows: checked, created: createdIds }, now);
    const skipped = checked.length - total;
    const audit = auditValues({ actorId: actor.id, action: 'people.import', targetType: 'import', targetId: batch.id, countryCode: batch.countryCode, ip: options.ip, after: { file: batch.fileName, rows: total, hash: batch.fileHash, ...(skipped > 0 ? { skipped } : {}), ...(batch.workshopId ? { workshopId: batch.workshopId } : {}) } }, now);
    await insertRows(tx, 'audit_log', Object.keys(audit), [Object.values(audit)]);
    await tx.commit();
  } catch (error) {
    // The same file committed meanwhile by another request: the unique index refused this one, nothing was written.
    await tx.rollback().catch(() => {});
    const again = await findCommitted(db, batch.countryCode, batch.fileHash);
    if (again) return { ok: true, created: again.created, alreadyImported: true, batchId: again.batchId };
    if (String(error).includes('UNIQUE')) return { ok: false, error: 'hasErrors', errorCount: 1 };
    throw error;
  } finally {
    tx.close();
  }
  return { ok: true, created: total, alreadyImported: false, batchId: batch.id };
}
