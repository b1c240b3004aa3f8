// The facilitator's tick list with a poor connection (issue 17.2), with JavaScript: ticks saved offline wait on the
// device (IndexedDB, a client id per change), the page says how many, they are sent when the connection returns and
// recorded once however often the queue is sent; sign-out deletes what is still waiting; a change refused on sync (the
// person taken off the roster meanwhile) is explained. Then the roster: a person removed before close, the removal
// refused once closed, an erased participant shown as such. No service worker (blocked in every spec but offline's):
// the queue is the page's own. Its own server and database, like workshops.spec.ts.
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client.ts';
import { auditLog, offlineSyncReceipts, users, workshopAttendance, workshopParticipants, workshops, workshopSessions } from '../../db/schema.ts';
import { eraseAccount } from '../../src/server/privacy.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { DEMO_PASSWORD } from './helpers/session.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

let instance: Instance;
let db: Database;
let committeeId = 0;
let workshopId = 0;
let day1 = 0;
let day2 = 0;
const people = new Map<string, number>();
const NAMES = ['Ana Sinconexión', 'Beto Sinconexión', 'Carla Sinconexión', 'Darío Sinconexión'];
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  instance = await createInstance(await freePort());
  await instance.start();
  db = openDatabase({ url: instance.dbUrl });
  const [committee] = await db.select().from(users).where(eq(users.email, 'comite.gt@demo.capacita.test'));
  committeeId = committee!.id;
  const [mp] = await db.select({ institutionId: users.institutionId }).from(users).where(eq(users.id, committeeId));
  // The roster: four officials of Guatemala, and one more whose account is erased before the day.
  for (const name of [...NAMES, 'Persona Por Borrar']) {
    const email = `${name.split(' ')[0]!.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.offline@mp.gob.gt`;
    const [row] = await db.insert(users).values({ name, email, emailKey: email, role: 'learner', countryCode: 'GT', institutionId: mp?.institutionId ?? null }).returning({ id: users.id });
    people.set(name, row!.id);
  }
  // The workshop as the creation form would write it (the domain's face loads the spreadsheet reader, which
  // Playwright's loader cannot): yesterday and today, 4 h each, planned.
  const [workshop] = await db
    .insert(workshops)
    .values({ countryCode: 'GT', titleEs: 'Taller Básico en Cobán, sin conexión', titleEn: 'Basic workshop in Cobán, offline', courseSlug: 'basico-fundamentos', mode: 'in_person', place: 'Salón comunal de Cobán', facilitators: 'Equipo técnico de la CIT', capacity: 20, startsOn: day(1), endsOn: day(0), createdBy: committeeId })
    .returning({ id: workshops.id });
  workshopId = workshop!.id;
  await db.insert(workshopSessions).values([day(1), day(0)].map((d) => ({ workshopId, day: d, hours: 4 })));
  await db.insert(workshopParticipants).values([...people.values()].map((userId) => ({ workshopId, userId, addedBy: committeeId, addedAt: new Date() })));
  await eraseAccount(db, people.get('Persona Por Borrar')!, { actorId: people.get('Persona Por Borrar')! });
  [day1, day2] = (await db.select({ id: workshopSessions.id }).from(workshopSessions).where(eq(workshopSessions.workshopId, workshopId)).orderBy(asc(workshopSessions.day))).map((s) => s.id) as [number, number];
});
test.afterAll(async () => {
  db?.$client.close();
  await instance?.dispose();
});

async function signIn(page: Page) {
  await page.goto(`${instance.origin}/es/login`);
  await page.getByLabel('Correo electrónico').fill('comite.gt@demo.capacita.test');
  await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** axe, then the page at phone and desktop width, never wider than the screen. */
async function look(page: Page, testInfo: TestInfo, name: string) {
  await expectNoAxeViolations(page, `on ${name}`);
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

const sheetUrl = (session: number) => `${instance.origin}/es/admin/workshops/${workshopId}/sessions/${session}`;
const detailUrl = () => `${instance.origin}/es/admin/workshops/${workshopId}`;
const box = (page: Page, name: string) => page.getByRole('checkbox', { name: new RegExp(`^${name}`) });
const marksOf = (session: number) => db.select().from(workshopAttendance).where(eq(workshopAttendance.sessionId, session));
const receipts = () => db.select().from(offlineSyncReceipts).where(and(eq(offlineSyncReceipts.userId, committeeId), eq(offlineSyncReceipts.kind, 'attendance')));

test('ticks saved offline wait on the device, are sent when the connection returns, and count once', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(sheetUrl(day1));
  await expect(page.getByText('Con una conexión débil')).toBeVisible();
  // The erased participant is on the list, nameless and not to be ticked.
  await expect(page.getByRole('checkbox', { name: /^Persona eliminada/ })).toBeDisabled();
  await look(page, testInfo, 'attendance-online');

  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/offline-sync')) sent.push(request.postData() ?? '');
  });
  await context.setOffline(true);
  for (const name of NAMES.slice(0, 3)) await box(page, name).check();
  await page.getByRole('button', { name: 'Guardar la asistencia' }).click();
  // Darío, unticked on a day with nothing recorded, is recorded absent, as the plain form does.
  const status = page.getByTestId('attendance-queue');
  await expect(status).toContainText('4 cambios de asistencia por enviar');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(page.getByText('por enviar', { exact: true }).filter({ visible: true })).toHaveCount(4);
  expect(await marksOf(day1)).toHaveLength(0);
  await look(page, testInfo, 'attendance-waiting');

  await context.setOffline(false);
  await expect(status).toContainText(/4 cambios de asistencia enviados a las \d/, { timeout: 20_000 });
  await expect(page.getByText('por enviar', { exact: true }).filter({ visible: true })).toHaveCount(0);
  await look(page, testInfo, 'attendance-synced');
  const recorded = await marksOf(day1);
  expect(recorded.map((r) => [r.userId, r.present]).sort()).toEqual(NAMES.map((n, i) => [people.get(n)!, i < 3]).sort());
  expect(await receipts()).toHaveLength(4);

  await page.reload();
  for (const name of NAMES.slice(0, 3)) await expect(box(page, name)).toBeChecked();
  await expect(box(page, NAMES[3]!)).not.toBeChecked();
  await expect(page.getByTestId('tick-list')).toContainText('Ausente · registrado');
  await expect(page.getByTestId('attendance-queue')).toBeHidden();

  // The same queue delivered again (a lost answer, a second tab): answered as before, nothing recorded twice.
  expect(sent.length).toBeGreaterThan(0);
  const again = await page.request.post(`${instance.origin}/api/offline-sync`, { data: JSON.parse(sent.at(-1)!), headers: { origin: instance.origin } });
  expect(again.status()).toBe(200);
  const answers = ((await again.json()) as { answers: { outcome: string; repeated: boolean }[] }).answers;
  expect(answers.map((a) => [a.outcome, a.repeated])).toEqual(answers.map(() => ['applied', true]));
  expect(answers).toHaveLength(4);
  expect(await marksOf(day1)).toHaveLength(4);
  expect(await receipts()).toHaveLength(4);
  expect(await db.select().from(auditLog).where(eq(auditLog.action, 'workshop.attendance.correct'))).toHaveLength(0);
  await context.close();
});

test('signing out deletes attendance still waiting on the device, after asking', async ({ browser }) => {
  // Wide: the header's sign-out button is in view without opening the phone menu.
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(sheetUrl(day2));
  await context.setOffline(true);
  await box(page, NAMES[0]!).check();
  await page.getByRole('button', { name: 'Guardar la asistencia' }).click();
  await expect(page.getByTestId('attendance-queue')).toContainText('4 cambios de asistencia por enviar');
  // Back online, but the sync cannot get through: the marks keep waiting.
  await page.route('**/api/offline-sync', (route) => route.abort('internetdisconnected'));
  await context.setOffline(false);
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).not.toHaveURL(/\/sessions\//, { timeout: 30_000 });
  expect(asked).toContain('cambios de asistencia sin enviar');
  const left = await page.evaluate(async () => ({ owner: localStorage.getItem('capacita-attendance-marks'), databases: (await indexedDB.databases()).map((d) => d.name) }));
  expect(left).toEqual({ owner: null, databases: expect.not.arrayContaining(['capacita-attendance']) });
  expect(await marksOf(day2)).toHaveLength(0);
  // Signed out: the tick list asks for a sign-in.
  await page.goto(sheetUrl(day2));
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test('a change refused on sync is explained; a person is removed before close, and the removal is refused after', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(sheetUrl(day2));
  await context.setOffline(true);
  for (const name of NAMES) await box(page, name).check();
  await page.getByRole('button', { name: 'Guardar la asistencia' }).click();
  await expect(page.getByTestId('attendance-queue')).toContainText('4 cambios de asistencia por enviar');

  // Meanwhile, on the committee's laptop, Beto is taken off the roster (asked first: his day-1 mark goes with him).
  const laptop = await context.browser()!.newContext();
  const detail = await laptop.newPage();
  await signIn(detail);
  await detail.goto(detailUrl());
  await expect(detail.getByTestId('roster').getByRole('rowheader', { name: 'Persona eliminada' })).toBeVisible();
  await expect(detail.getByTestId('roster').locator('tbody tr')).toHaveCount(5);
  await look(detail, testInfo, 'roster-erased');
  await detail.getByRole('link', { name: 'Quitar a Beto Sinconexión de la lista' }).click();
  await expect(detail.getByTestId('remove-confirm')).toContainText('¿Quitar a Beto Sinconexión de la lista de este taller? Se borran también sus marcas de asistencia (1)');
  await look(detail, testInfo, 'roster-remove-confirm');
  await detail.getByRole('button', { name: 'Sí, quitar de la lista' }).click();
  await expect(detail.getByTestId('remove-result')).toContainText('Marcas de asistencia borradas: 1.');
  await expect(detail.getByTestId('roster').locator('tbody tr')).toHaveCount(4);
  const [removal] = await db.select().from(auditLog).where(eq(auditLog.action, 'workshop.participant.remove'));
  expect(removal?.before).toMatchObject({ userId: people.get('Beto Sinconexión'), attendance: [{ present: true }] });

  // The tick list comes back online: three marks go in, Beto's is refused and explained, not dropped in silence.
  await context.setOffline(false);
  const refused = page.getByTestId('attendance-refused');
  await expect(refused).toContainText('Beto Sinconexión', { timeout: 20_000 });
  await expect(refused).toContainText('La persona ya no está en la lista del taller.');
  await expect(page.getByTestId('attendance-queue')).toContainText('3 cambios de asistencia enviados');
  await look(page, testInfo, 'attendance-refused');
  await page.getByRole('button', { name: 'Entendido, quitar estos avisos' }).click();
  await expect(refused).toBeHidden();
  expect((await marksOf(day2)).map((r) => r.userId).sort()).toEqual([NAMES[0]!, NAMES[2]!, NAMES[3]!].map((n) => people.get(n)!).sort());

  // A removal asked for on a page drawn before the close is refused with the reason once the workshop is closed.
  const stale = await laptop.newPage();
  await stale.goto(detailUrl());
  await stale.getByRole('link', { name: 'Quitar a Carla Sinconexión de la lista' }).click();
  await expect(stale.getByTestId('remove-confirm')).toBeVisible();
  await detail.goto(detailUrl());
  await detail.getByRole('button', { name: 'Marcar como realizado' }).click();
  await detail.getByRole('button', { name: 'Cerrar el taller y acreditar' }).click();
  await expect(detail.getByTestId('workshop-state')).toHaveText('Cerrado');
  await stale.getByRole('button', { name: 'Sí, quitar de la lista' }).click();
  await expect(stale.getByText('El taller está cerrado: su lista ya no cambia, porque la acreditación se decidió con ella.')).toBeVisible();
  const roster = await db.select({ userId: workshopAttendance.userId }).from(workshopAttendance).where(and(inArray(workshopAttendance.sessionId, [day1, day2]), eq(workshopAttendance.userId, people.get('Carla Sinconexión')!)));
  expect(roster).toHaveLength(2);
  await laptop.close();
  await context.close();
});
