// How long does a committee's bulk import of 10 000 officials take, end to end? Builds nothing and starts no web
// server: it drives the same domain functions the import page and its Actions call, on a fresh embedded database with
// the reference data, the demo accounts and a synthetic population (the duplicate check looks every address up).
//
//   node bench/import.mjs [--rows 10000] [--population 20000] [--format csv|xlsx] [--deliver]
//
// Steps timed: parse the file → preview (every row checked against the file and the database, rows staged) → commit
// (accounts, invitation tokens and queued invitation e-mails in one transaction) → the same file again (recognised,
// nothing written). With --deliver, the mail worker then delivers every queued invitation to a loopback SMTP server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { loadReferenceData } from '../db/seed/reference.ts';
import { ensureDemoAccounts } from '../db/seed/demo-accounts.ts';
import { readCourseCatalog } from '../db/seed/course-catalog.ts';
import { generateDemoPopulation } from '../db/seed/demo.ts';
import { commitImport, createImportPreview, parseImportFile } from '../src/server/admin/import.ts';
import { createMailTransport } from '../src/server/mail/transport.ts';
import { deliverDueMail } from '../src/server/mail/worker.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    population: { type: 'string', default: '20000' },
    format: { type: 'string', default: 'csv' },
    deliver: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const population = Number(values.population);

const dir = mkdtempSync(join(tmpdir(), 'capacita-bench-import-'));
const db = openDatabase({ url: `file:${join(dir, 'bench.db')}` });
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const time = async (label, run) => {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(44)} ${seconds(ms).padStart(9)}`);
  return { result, ms };
};

try {
  console.log(`Preparing a database with ${population.toLocaleString('en')} synthetic officials…`);
  await applyMigrations(db);
  await loadReferenceData(db);
  await ensureDemoAccounts(db);
  if (population > 0) await generateDemoPopulation(db, readCourseCatalog(), { officials: population });
  // As after `npm run db:demo`: the write-ahead log folded into the database file.
  await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const committee = (await db.$client.execute(`SELECT id, name, role, country_code, specialist_status, active FROM users WHERE email_key = 'comite.gt@demo.capacita.test'`)).rows[0];
  const actor = { id: Number(committee.id), name: String(committee.name), role: 'committee', countryCode: 'GT', specialistStatus: 'none', active: true };

  // The file: officials of Guatemala's institutions, named by acronym or by name, a tenth of them specialised.
  const institutions = ['MP', 'PNC', 'Instituto Guatemalteco de Migración', 'OJ', 'MINTRAB', 'MSPAS', 'Ministerio de Educación', 'PGN'];
  const table = [['nombre', 'correo', 'institucion', 'rol', 'especializado', 'idioma']];
  for (let i = 0; i < rows; i++) table.push([`Funcionario ${i + 1} Prueba`, `funcionario${i + 1}@bench.gob.gt`, institutions[i % institutions.length], '', i % 10 === 0 ? 'sí' : '', i % 5 === 0 ? 'en' : 'es']);
  let bytes;
  if (values.format === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Personas');
    for (const row of table) sheet.addRow(row);
    bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  } else {
    bytes = new TextEncoder().encode(table.map((r) => r.join(',')).join('\n'));
  }
  const fileName = `funcionarios.${values.format === 'xlsx' ? 'xlsx' : 'csv'}`;
  console.log(`\nImporting ${rows.toLocaleString('en')} rows (${fileName}, ${(bytes.byteLength / 1024).toFixed(0)} KiB):`);

  const total = performance.now();
  const { result: parsed } = await time('parse the file', () => parseImportFile(bytes, fileName));
  const { result: preview } = await time('preview (check every row, stage the rows)', () => createImportPreview(db, actor, { countryCode: 'GT', fileName, rows: parsed }));
  if (preview.errorCount > 0) throw new Error(`${preview.errorCount} rows with errors`);
  let lastProgress = 0;
  const { result: committed } = await time('commit (accounts, tokens, queued e-mails)', () =>
    commitImport(db, actor, preview.batchId, { origin: 'https://capacita.example', onProgress: (done) => (lastProgress = done) }),
  );
  if (!committed.ok || committed.created !== rows || lastProgress !== rows) throw new Error(`commit failed: ${JSON.stringify(committed)}`);
  const endToEnd = performance.now() - total;
  console.log(`  ${'import end to end (parse + preview + commit)'.padEnd(44)} ${seconds(endToEnd).padStart(9)}`);

  const again = await time('the same file again (recognised, no writes)', async () => {
    const p = await createImportPreview(db, actor, { countryCode: 'GT', fileName, rows: await parseImportFile(bytes, fileName) });
    return commitImport(db, actor, p.batchId, { origin: 'https://capacita.example' });
  });
  if (!again.result.ok || !again.result.alreadyImported) throw new Error('re-run was not recognised');
  const counts = (await db.$client.execute(`SELECT (SELECT count(*) FROM users WHERE email_key LIKE '%@bench.gob.gt') AS users, (SELECT count(*) FROM mail_outbox) AS mails, (SELECT count(*) FROM email_tokens WHERE purpose = 'invitation') AS tokens`)).rows[0];
  console.log(`\n  created ${Number(counts.users).toLocaleString('en')} accounts, ${Number(counts.tokens).toLocaleString('en')} invitation tokens, ${Number(counts.mails).toLocaleString('en')} queued e-mails`);
  console.log(`\nIMPORT ${rows} rows: ${seconds(endToEnd)} end to end (${Math.round(rows / (endToEnd / 1000)).toLocaleString('en')} rows/s)`);

  if (values.deliver) {
    let received = 0;
    const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData(stream, _s, cb) { stream.on('data', () => {}); stream.on('end', () => { received++; cb(); }); } });
    await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const transport = createMailTransport(`smtp://127.0.0.1:${smtp.server.address().port}`, 'Capacita <no-reply@capacita.example>');
    await time(`deliver ${Number(counts.mails).toLocaleString('en')} invitations to loopback SMTP`, async () => {
      while ((await deliverDueMail(db, transport, Date.now(), 200)) > 0);
    });
    transport.close();
    smtp.close();
    console.log(`  the SMTP server received ${received.toLocaleString('en')} messages`);
  }
} finally {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}
