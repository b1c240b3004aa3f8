// A committee runs a Básico workshop end to end: creates it, imports a 20-row roster (2 bad rows shown and skipped),
// takes two days' attendance on a phone with JavaScript off (with one correction), closes it; the attendees who met
// the rule hold "presencial" certificates that verify, and a learner sees her attendance and certificate. Its own
// server and database (the credits would otherwise change the figures other specs read on the shared demo server),
// so it imports Playwright's own test and starts no demo server.
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { DEMO_PASSWORD, signIn } from './helpers/session.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

let instance: Instance;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  instance = await createInstance(await freePort());
  await instance.start();
});
test.afterAll(async () => {
  await instance?.dispose();
});

const NAMES = ['Uno', 'Dos', 'Tres', 'Cuatro', 'Cinco', 'Seis', 'Siete', 'Ocho', 'Nueve', 'Diez', 'Once', 'Doce', 'Trece', 'Catorce', 'Quince', 'Dieciséis', 'Diecisiete', 'Dieciocho'].map((n) => `Persona ${n} Taller`);
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

const signInAt = (page: Page, email: string) => signIn(page, email, DEMO_PASSWORD, 'es', instance.origin);

/** axe, then the page at phone and desktop width, never wider than the screen. */
async function look(page: Page, testInfo: TestInfo, name: string) {
  await expectNoAxeViolations(page, `on ${name}`);
  const original = page.viewportSize();
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

async function phoneWithoutJavaScript(browser: import('@playwright/test').Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signInAt(page, 'comite.gt@demo.capacita.test');
  return { context, page };
}

// One journey in steps that share the workshop (serial: each step starts where the last one left it).
test.describe.configure({ mode: 'serial', timeout: 300_000 });
let detailUrl = '';
let certificateHrefs: string[] = [];

test('a committee creates a Básico workshop and adds an account by e-mail', async ({ page }, testInfo) => {
  await signInAt(page, 'comite.gt@demo.capacita.test');
  await page.goto(`${instance.origin}/es/admin`);
  await page.getByRole('link', { name: 'Talleres' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Talleres' })).toBeVisible();
  await look(page, testInfo, 'workshops-list-empty');
  await page.getByRole('link', { name: 'Nuevo taller' }).click();
  await look(page, testInfo, 'workshop-new');
  await page.getByLabel('Título en español').fill('Taller Básico de detección y referencia, Quetzaltenango');
  await page.getByLabel('Título en inglés').fill('Basic workshop on detection and referral, Quetzaltenango');
  await expect(page.getByLabel('Curso al que equivale')).toHaveValue('basico-fundamentos');
  await page.getByLabel('Presencial').check();
  await page.getByLabel('Lugar').fill('Sede regional del Ministerio Público, salón 2');
  await page.getByLabel('Facilitadores').fill('Equipo técnico de la CIT');
  await page.getByLabel('Cupo (personas)').fill('25');
  await page.getByLabel('Primer día').fill(day(2));
  await page.getByLabel('Último día').fill(day(1));
  await page.getByLabel('Día 1', { exact: true }).fill(day(2));
  await page.getByLabel('Horas del día 1').fill('4');
  await page.getByLabel('Día 2', { exact: true }).fill(day(1));
  await page.getByLabel('Horas del día 2').fill('4');
  await page.getByLabel('Ministerio Público (MP)').check();
  await page.getByRole('button', { name: 'Crear el taller' }).click();
  await expect(page.getByText('Taller creado.')).toBeVisible();
  detailUrl = page.url().replace(/\?.*$/, '');
  await expect(page.getByTestId('workshop-state')).toHaveText('Planificado');

  // A demo learner with an account joins by e-mail; an unknown address is reported back.
  await page.getByLabel('Correos electrónicos, uno por renglón').fill('solicitante@demo.capacita.test\nnadie@ejemplo.org');
  await page.getByRole('button', { name: 'Agregar a la lista' }).click();
  await expect(page.getByTestId('add-result')).toContainText('Agregadas: 1');
  await expect(page.getByTestId('add-result')).toContainText('nadie@ejemplo.org');
});

test('it imports a 20-row roster: the 2 bad rows are shown and skipped', async ({ page }, testInfo) => {
  await signInAt(page, 'comite.gt@demo.capacita.test');
  await page.goto(detailUrl);
  await page.getByRole('link', { name: 'Importar participantes desde un archivo' }).click();
  await look(page, testInfo, 'workshop-import');
  const csv = ['nombre,correo,institucion', ...NAMES.map((n, i) => `${n},taller.persona${i + 1}@mp.gob.gt,MP`), 'Sin Correo Válido,no-es-un-correo,MP', 'Institución Desconocida,desconocida@ejemplo.gt,Ministerio Inexistente'].join('\n');
  await page.locator('input[type=file]').setInputFiles({ name: 'lista-taller.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByRole('button', { name: 'Vista previa' }).click();
  await expect(page.getByTestId('roster-import-summary')).toContainText('Cuentas nuevas: 18.');
  await expect(page.getByTestId('roster-import-summary')).toContainText('Filas con errores, que se omitirán: 2.');
  const errors = page.getByTestId('roster-import-errors').locator('tbody tr');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0)).toContainText('no-es-un-correo');
  await expect(errors.nth(1)).toContainText('Ministerio Inexistente');
  await expect(page.getByTestId('roster-import-rows').locator('tbody tr')).toHaveCount(18);
  await look(page, testInfo, 'workshop-import-preview');
  await page.getByRole('button', { name: 'Confirmar la importación' }).click();
  await expect(page.getByTestId('roster-import-done')).toContainText('Cuentas nuevas invitadas: 18. Personas agregadas a la lista: 18.');

  await page.goto(detailUrl);
  await expect(page.getByTestId('roster').locator('tbody tr')).toHaveCount(19);
  await look(page, testInfo, 'workshop-detail');
  await page.getByRole('link', { name: 'Editar el taller' }).click();
  await look(page, testInfo, 'workshop-edit');
});

test('two days of attendance on a phone without JavaScript, with a correction, then held and closed', async ({ page, browser }, testInfo) => {
  const phone = await phoneWithoutJavaScript(browser);
  const present = async (sheet: Page, names: string[]) => {
    for (const name of [...NAMES, 'Rosa Demo']) {
      const box = sheet.getByRole('checkbox', { name: new RegExp(`^${name}`) });
      if (names.includes(name)) await box.check();
      else await box.uncheck();
    }
    await sheet.getByRole('button', { name: 'Guardar la asistencia' }).click();
  };
  await phone.page.goto(detailUrl);
  await phone.page.getByRole('link', { name: /Tomar asistencia del/ }).first().click();
  await phone.page.screenshot({ path: testInfo.outputPath('workshop-attendance-nojs-390.png'), fullPage: true });
  // A full-page capture of a mobile-emulated page resizes its viewport and back; once in a CI run the taps that
  // followed landed a few rows off for five minutes ("Persona Dos's label intercepts pointer events" on Uno's box).
  // The likeliest cause is that resize; a fresh load of the same sheet starts from a clean viewport, as the later
  // steps do after their navigations.
  await phone.page.reload();
  await present(phone.page, [...NAMES.slice(0, 17), 'Rosa Demo']);
  await expect(phone.page.getByTestId('attendance-saved')).toContainText('Marcas nuevas: 19.');
  await phone.page.goto(detailUrl);
  await phone.page.getByRole('link', { name: /Tomar asistencia del/ }).nth(1).click();
  await present(phone.page, [...NAMES.slice(0, 15), 'Rosa Demo']);
  await expect(phone.page.getByTestId('attendance-saved')).toContainText('Marcas nuevas: 19.');
  // Persona Dieciséis was there after all: the correction is recorded (and audited), the rest unchanged.
  await present(phone.page, [...NAMES.slice(0, 16), 'Rosa Demo']);
  await expect(phone.page.getByTestId('attendance-saved')).toContainText('Marcas nuevas: 0. Corregidas: 1. Sin cambios: 18.');
  await expect(phone.page.getByRole('checkbox', { name: /^Persona Dieciséis Taller/ })).toBeChecked();
  await phone.page.screenshot({ path: testInfo.outputPath('workshop-attendance-saved-nojs-390.png'), fullPage: true });
  const sheetUrl = phone.page.url().replace(/\?.*$/, '');

  // Held, then closed (on the phone too: every step is a plain form).
  await phone.page.goto(detailUrl);
  await phone.page.getByRole('button', { name: 'Marcar como realizado' }).click();
  await expect(phone.page.getByTestId('workshop-state')).toHaveText('Realizado');
  await phone.page.getByRole('button', { name: 'Cerrar el taller y acreditar' }).click();
  // 16 of the file and Rosa attended 8 of 8 h; Diecisiete 4 of 8 (50 %), Dieciocho none.
  await expect(phone.page.getByTestId('close-result')).toContainText('Acreditados con certificado: 17.');
  await expect(phone.page.getByTestId('close-result')).toContainText('Con asistencia insuficiente: 2.');
  await expect(phone.page.getByTestId('workshop-state')).toHaveText('Cerrado');
  await phone.page.screenshot({ path: testInfo.outputPath('workshop-closed-nojs-390.png'), fullPage: true });
  await phone.context.close();

  // axe and the width check need scripts: the sheet and the closed workshop in a browser with them.
  await signInAt(page, 'comite.gt@demo.capacita.test');
  await page.goto(sheetUrl);
  await look(page, testInfo, 'workshop-attendance');
  await page.goto(detailUrl);
  await look(page, testInfo, 'workshop-closed');
  await expect(page.getByTestId('roster').locator('tr', { hasText: 'Persona Diecisiete Taller' })).toContainText('4 h (50 %)');
  await expect(page.getByTestId('roster').locator('tr', { hasText: 'Persona Diecisiete Taller' })).toContainText('No acreditado');
  const links = page.getByTestId('roster').getByRole('link', { name: 'Certificado' });
  await expect(links).toHaveCount(17);
  certificateHrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
});

test('the attendees hold "presencial" certificates that verify, and a learner sees her attendance', async ({ page, browser }, testInfo) => {
  for (const href of certificateHrefs.slice(0, 3)) {
    await page.goto(`${instance.origin}${href}`);
    await expect(page.locator('.verdict')).toContainText('Válido');
    await expect(page.locator('[data-delivery]')).toHaveText('Presencial');
    await expect(page.locator('.verification')).toContainText('Taller Básico de detección y referencia, Quetzaltenango');
    await expect(page.locator('.verification')).toContainText('8 h');
  }
  await look(page, testInfo, 'verify-in-person');
  await page.goto(`${instance.origin}${certificateHrefs[0]!.replace('/es/', '/en/')}`);
  await expect(page.locator('[data-delivery]')).toHaveText('In person');
  await expect(page.locator('.verification')).toContainText('Basic workshop on detection and referral, Quetzaltenango');

  // The coordinator sees it among every country's workshops.
  const coordinator = await browser.newContext();
  const coordinatorPage = await coordinator.newPage();
  await signInAt(coordinatorPage, 'coordinacion@demo.capacita.test');
  await coordinatorPage.goto(`${instance.origin}/es/admin/workshops`);
  const row = coordinatorPage.getByTestId('workshops-list').locator('tbody tr', { hasText: 'Quetzaltenango' });
  await expect(row).toContainText('Guatemala');
  await expect(row).toContainText('Cerrado');
  await expect(row).toContainText('19 / 25');
  await look(coordinatorPage, testInfo, 'workshops-list-coordinator');
  await coordinator.close();

  // The learner sees her attendance and her in-person certificate on her learning page.
  const learner = await browser.newContext();
  const learnerPage = await learner.newPage();
  await signInAt(learnerPage, 'solicitante@demo.capacita.test');
  await learnerPage.goto(`${instance.origin}/es/learning`);
  const own = learnerPage.getByTestId('own-workshops');
  await expect(own).toContainText('Taller Básico de detección y referencia, Quetzaltenango');
  await expect(own).toContainText('Asistió a 8 de 8 h (100 %)');
  await expect(own).toContainText('Curso acreditado por este taller.');
  await expect(learnerPage.getByRole('cell', { name: /Fundamentos.*Presencial/ })).toBeVisible();
  await look(learnerPage, testInfo, 'learning-own-workshops');
  await own.getByRole('link', { name: 'Ver el certificado' }).click();
  await expect(learnerPage.locator('main')).toContainText('Presencial');
  await learner.close();
});

test('another country’s committee and an observer get nothing of the workshop', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAt(page, 'comite.gt@demo.capacita.test');
  await page.goto(`${instance.origin}/es/admin/workshops`);
  const href = await page.getByTestId('workshops-list').getByRole('link').first().getAttribute('href');
  await context.close();
  for (const email of ['comite.hn@demo.capacita.test', 'observador@demo.capacita.test']) {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInAt(otherPage, email);
    const response = await otherPage.goto(`${instance.origin}${href}`);
    expect(response?.status()).toBe(403);
    await expect(otherPage.getByText('Quetzaltenango')).toHaveCount(0);
    const list = await otherPage.goto(`${instance.origin}/es/admin/workshops`);
    if (email.startsWith('observador')) expect(list?.status()).toBe(403);
    else await expect(otherPage.getByText('Quetzaltenango')).toHaveCount(0);
    await other.close();
  }
});
