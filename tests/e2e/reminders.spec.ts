// Reminders end to end (issue 15): two app nodes on one database both run the scheduler (every 700 ms, without
// taking turns — CAPACITA_REMINDERS_EVERY_MS), a certificate 60 days from lapsing gets exactly one e-mail through the
// loopback SMTP server, its link opens the Refresher, and its unsubscribe link works signed out.
import { createClient, type Client } from '@libsql/client';
import { expect, test } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { deliveredMail, waitForMail, type DeliveredMail } from './helpers/mail.ts';
import { signIn, signOut } from './helpers/session.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const DAY = 86_400_000;
const EMAIL = `lapsing-${Date.now()}@reminders.capacita.test`;

let a: Instance;
let b: Instance;
let db: Client;
let userId: number;

const mailTo = () => deliveredMail().filter((m) => m.to.includes(EMAIL));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The full URL of the first link in a mail whose path matches. */
function urlIn(mail: DeliveredMail, path: RegExp): URL {
  const found = mail.text.match(new RegExp(`https?://[^\\s]+${path.source}[^\\s]*`))?.[0];
  if (!found) throw new Error(`no link matching ${path} in:\n${mail.text}`);
  return new URL(found);
}

test.beforeAll(async ({ demoServer }) => {
  test.setTimeout(240_000);
  const env = {
    // The worker's demo server receives the mail (./helpers/fixture.ts), where waitForMail reads it.
    SMTP_URL: `smtp://127.0.0.1:${demoServer.smtpPort}`,
    UNSUBSCRIBE_SECRET: 'e2e-unsubscribe-secret',
    CAPACITA_REMINDERS_EVERY_MS: '700',
  };
  a = await createInstance(await freePort(), { env });
  b = await createInstance(await freePort(), { env, sharing: a });
  db = createClient({ url: a.dbUrl });
  // A Honduran official whose Básico certificate lapses 60 days from now (same hour: 60 local calendar days).
  const lapse = Date.now() + 60 * DAY;
  const [institution] = (await db.execute(`SELECT id FROM institutions WHERE country_code = 'HN' ORDER BY id LIMIT 1`)).rows;
  const created = await db.execute({
    sql: `INSERT INTO users (name, email, email_key, role, country_code, institution_id) VALUES ('Marta Prueba', ?, ?, 'learner', 'HN', ?) RETURNING id`,
    args: [EMAIL, EMAIL, institution!.id],
  });
  userId = Number(created.rows[0]!.id);
  await db.execute({
    sql: `INSERT INTO certificates (code, user_id, course_id, programme, holder_name, country_code, institution_id, issued_at, expires_at) VALUES (?, ?, 'basico-fundamentos', 'basico', 'Marta Prueba', 'HN', ?, ?, ?)`,
    args: [`E2E-${userId}`, userId, institution!.id, lapse - 730 * DAY, lapse],
  });
  for (const track of ['basico', 'refresh']) {
    await db.execute({ sql: `INSERT INTO report_holders (user_id, track, country_code, institution_id, valid_until) VALUES (?, ?, 'HN', ?, ?)`, args: [userId, track, institution!.id, lapse] });
  }
  await Promise.all([a.start(), b.start()]);
  // The background workers start with a node's first page request.
  for (const node of [a, b]) expect((await fetch(`${node.origin}/es`)).status).toBe(200);
});

test.afterAll(async () => {
  db?.close();
  await b?.stop();
  await a?.dispose();
});

test('a certificate 60 days from lapsing gets the reminder once, from two nodes running the scheduler', async ({ page }) => {
  await expect.poll(async () => (await db.execute({ sql: 'SELECT status, last_error FROM mail_outbox WHERE to_address = ?', args: [EMAIL] })).rows.map((r) => `${r.status} ${r.last_error ?? ''}`.trim()), { timeout: 30_000 }).toEqual(['sent']);
  const mail = await waitForMail(EMAIL);
  expect(mail.text).toContain('Para mantenerla vigente, complete la Actualización.');
  // Both nodes keep running passes every 700 ms; give them a few more rounds to send it again, if they could.
  await pause(5_000);
  expect(mailTo()).toHaveLength(1);
  const sent = await db.execute({ sql: 'SELECT kind FROM reminders_sent WHERE user_id = ?', args: [userId] });
  expect(sent.rows.map((r) => r.kind)).toEqual(['refresher_60']);

  expect(mail.raw).toMatch(/^List-Unsubscribe:\s+<http:\/\/127\.0\.0\.1:\d+\/es\/unsubscribe\?u=\d+&k=refresher&s=[\w-]+>/m);
  expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

  const refresher = urlIn(mail, /\/es\/courses\/actualizacion-2026/);
  await page.goto(a.origin + refresher.pathname);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Actualización');
});

test('the unsubscribe link works signed out, and no further refresher reminder goes', async ({ page }) => {
  const [mail] = mailTo();
  // The link a mail client offers (List-Unsubscribe); the same one closes the text (unit-tested in reminders-scheduler).
  const link = new URL(mail!.raw.match(/^List-Unsubscribe:\s+<([^>]+)>/m)![1]!);
  await page.goto(a.origin + link.pathname + link.search);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dejar de recibir recordatorios');
  await expectNoAxeViolations(page, 'unsubscribe');
  // Opening the link alone (as a link scanner would) changes nothing.
  expect((await db.execute({ sql: 'SELECT count(*) AS n FROM reminder_opt_outs WHERE user_id = ?', args: [userId] })).rows[0]!.n).toBe(0);
  await page.getByRole('button', { name: 'Sí, no quiero recibirlos' }).click();
  await expect(page.getByRole('status')).toHaveText('Listo: ya no le enviaremos este tipo de recordatorio.');
  const optOuts = await db.execute({ sql: 'SELECT kind FROM reminder_opt_outs WHERE user_id = ?', args: [userId] });
  expect(optOuts.rows.map((r) => r.kind)).toEqual(['refresher']);

  // A tampered link is refused with a 400 and changes nothing.
  const tampered = new URL(link);
  tampered.searchParams.set('k', 'stalled');
  const response = await page.goto(a.origin + tampered.pathname + tampered.search);
  expect(response!.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('no es válido');

  // The certificate now lapses in 10 days: the 14-day stage is due, but the person turned refreshers off.
  await db.execute({ sql: `UPDATE report_holders SET valid_until = ? WHERE user_id = ?`, args: [Date.now() + 10 * DAY, userId] });
  await pause(4_000);
  expect(mailTo()).toHaveLength(1);
});

test('a committee sends its refresher list a reminder, and the audit log shows it', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: a.origin });
  const page = await context.newPage();
  await signIn(page, 'comite.hn@demo.capacita.test');
  await page.goto('/es/dashboard/country/HN/refreshers');
  await expect(page.getByRole('rowheader', { name: 'Marta Prueba' })).toBeVisible();
  await page.getByRole('link', { name: 'Enviar un recordatorio a estas personas' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Recordar la Actualización a la lista');
  const recipients = Number(await page.locator('#committee-count').getAttribute('data-recipients'));
  expect(recipients).toBeGreaterThanOrEqual(1);
  await expect(page.locator('.mail-preview')).toContainText('su Actualización está pendiente');
  // The preview does not hand the committee the recipient's unsubscribe signature.
  await expect(page.locator('.mail-preview')).toContainText('k=committee&s=…');
  await expectNoAxeViolations(page, 'committee reminder');
  await page.getByLabel(/Confirmo que quiero enviar el mensaje/).check();
  await page.getByRole('button', { name: 'Enviar el recordatorio' }).click();
  await expect(page.getByRole('status')).toContainText(`a ${recipients} personas`);
  // Marta turned refresher reminders off, not committee messages: this one reaches her, with its own unsubscribe link.
  const mail = await waitForMail(EMAIL, (m) => /k=committee/.test(m.raw));
  expect(mail.text).toContain('le recuerda que su formación básica');
  await signOut(page);

  await signIn(page, 'admin@demo.capacita.test');
  await page.goto('/es/admin/audit?action=people.message');
  const row = page.getByRole('row').filter({ hasText: 'people.message' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('comite.hn@demo.capacita.test');
  await context.close();
});


test('a mail client’s one-click unsubscribe works signed out; cross-site posts stay refused', async ({ playwright }) => {
  // The committee message of the test before: its List-Unsubscribe names Marta and committee messages.
  const mail = await waitForMail(EMAIL, (m) => /k=committee/.test(m.raw));
  const link = new URL(mail.raw.match(/^List-Unsubscribe:\s+<([^>]+)>/m)![1]!);
  // A mail provider's server: no session, no Origin (or its own), the RFC 8058 body.
  const client = await playwright.request.newContext();
  const oneClick = (url: string, headers: Record<string, string> = {}) =>
    client.post(a.origin + url, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, data: 'List-Unsubscribe=One-Click', maxRedirects: 0 });
  // A tampered signature is not the exemption: the origin check refuses it before the page runs.
  const tampered = new URL(link);
  tampered.searchParams.set('k', 'stalled');
  expect((await oneClick(tampered.pathname + tampered.search)).status()).toBe(403);
  expect((await db.execute({ sql: `SELECT count(*) AS n FROM reminder_opt_outs WHERE user_id = ? AND kind = 'committee'`, args: [userId] })).rows[0]!.n).toBe(0);
  const response = await oneClick(link.pathname + link.search, { Origin: 'https://mail.example' });
  expect(response.status()).toBe(200);
  const optOuts = await db.execute({ sql: 'SELECT kind FROM reminder_opt_outs WHERE user_id = ? ORDER BY kind', args: [userId] });
  expect(optOuts.rows.map((r) => r.kind)).toEqual(['committee', 'refresher']);

  // Any other cross-site write is still refused, with a reason: an Action by RPC and as a form post, and a signed-out
  // form post to the same unsubscribe page whose body is not the one-click one.
  const rpc = await client.post(`${a.origin}/_actions/auth.signIn`, { headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, data: { email: 'comite.hn@demo.capacita.test', password: 'x' } });
  expect(rpc.status()).toBe(403);
  expect((await rpc.json()).message).toContain('otro sitio web');
  const form = await client.post(`${a.origin}/es/login?_action=auth.signIn`, { headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, data: 'email=x%40y.z&password=x', maxRedirects: 0 });
  expect(form.status()).toBe(403);
  const notOneClick = await oneClick(link.pathname + link.search + '&_action=reminders.setPreferences', { Origin: 'https://evil.example' });
  expect(notOneClick.status()).toBe(403);
  await client.dispose();
});

test('a committee previews its monthly digest and has it sent now; the dashboard links to it', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: a.origin });
  const page = await context.newPage();
  await signIn(page, 'comite.hn@demo.capacita.test');
  await page.goto('/es/dashboard');
  await page.getByRole('link', { name: 'Resumen mensual por correo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resumen mensual por correo');
  const preview = page.locator('.mail-preview');
  await expect(preview).toContainText('(hasta hoy) — Honduras');
  await expect(preview.getByRole('table').first()).toBeVisible();
  await expect(preview).toContainText('Solicitudes de unidad especializada pendientes');
  await expect(preview).not.toContainText('Guatemala');
  await expectNoAxeViolations(page, 'digest');
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: test.info().outputPath(`digest-${width}.png`), fullPage: true });
  }
  await page.getByRole('button', { name: 'Enviarme este resumen ahora' }).click();
  await expect(page.getByRole('status')).toHaveText('Le enviamos el resumen a comite.hn@demo.capacita.test. Llegará en unos minutos.');
  const mail = await waitForMail('comite.hn@demo.capacita.test', (m) => /hasta hoy/.test(m.subject));
  expect(mail.text).toContain('Este es el resumen de Capacita para Honduras');
  expect(mail.raw).toMatch(/<table/);
  expect(mail.raw).toMatch(/^List-Unsubscribe:\s+<http:\/\/127\.0\.0\.1:\d+\/es\/unsubscribe\?u=\d+&k=digest&s=[\w-]+>/m);
  // Asking again at once is refused, with a reason, and sends nothing.
  await page.getByRole('button', { name: 'Enviarme este resumen ahora' }).click();
  await expect(page.getByRole('alert')).toContainText('Ya le enviamos este resumen hace poco');
  // The digest kind is offered on the committee's account page, not on a learner's.
  await page.goto('/es/account');
  await expect(page.getByLabel(/Resumen mensual de su panel/)).toBeChecked();
  await page.screenshot({ path: test.info().outputPath('account-digest-390.png'), fullPage: true });
  await context.close();
});
