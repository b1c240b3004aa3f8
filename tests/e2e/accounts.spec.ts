import { expect, test, type Page } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { linkIn, waitForMail } from './helpers/mail.ts';
import { signIn, signOut } from './helpers/session.ts';

const unique = Date.now().toString(36);

const REGISTER_PASSWORD = 'ríos verdes bajo la lluvia';

async function fillRegistration(page: Page, email: string, name = 'Rosa Nueva Prueba') {
  await page.goto('/es/register');
  await page.getByLabel('Nombre completo').fill(name);
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(REGISTER_PASSWORD);
  await page.getByLabel('País').selectOption({ label: 'Guatemala' });
  // Only Guatemala's institutions remain selectable once the country is chosen.
  await page.getByLabel('Institución').selectOption({ label: 'Instituto Guatemalteco de Migración (IGM)' });
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  return response;
}

test('an official registers, confirms the address from the e-mail, signs out and in again', async ({ page, browser }) => {
  const email = `nueva.${unique}@migracion.example.org`;
  expect((await fillRegistration(page, email)).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Revise su correo');
  await expect(page.getByRole('status')).toContainText(email);
  await expectNoAxeViolations(page, 'register sent');

  // Unconfirmed: the password alone does not sign in — answered like a wrong password, or whoever registers an address
  // would learn whether it had an account — and the Guatemalan committee sees the account as unconfirmed.
  await page.goto('/es/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(REGISTER_PASSWORD);
  await page.locator('form.stack button[type="submit"]').click();
  await expect(page.getByRole('alert')).toHaveText('El correo o la contraseña no son correctos.');
  await expect(page.getByText('¿Acaba de crear su cuenta? Primero confirme su correo')).toBeVisible();
  const committee = await browser.newContext();
  const committeePage = await committee.newPage();
  await signIn(committeePage, 'comite.gt@demo.capacita.test');
  await committeePage.goto(`/es/admin/people?q=${encodeURIComponent(email)}`);
  await expect(committeePage.getByRole('row', { name: /Rosa Nueva Prueba/ })).toContainText('Correo sin confirmar');

  const mail = await waitForMail(email, (m) => /register\/confirm/.test(m.text));
  expect(mail.subject).toBe('Confirme su correo en Capacita');
  await page.goto(linkIn(mail, /\/es\/register\/confirm\/[a-z2-7]+/));
  await expectNoAxeViolations(page, 'confirm e-mail');
  // The link alone does not confirm: it takes the password chosen at registration.
  await page.getByLabel('Contraseña', { exact: true }).fill('no es la contraseña de la cuenta');
  await page.getByRole('button', { name: 'Confirmar mi correo' }).click();
  await expect(page.getByRole('alert')).toContainText('Esa no es la contraseña de la cuenta');
  await page.getByLabel('Contraseña', { exact: true }).fill(REGISTER_PASSWORD);
  await page.getByRole('button', { name: 'Confirmar mi correo' }).click();
  await expect(page).toHaveURL(/\/es\/login\?done=confirmed$/);
  await expect(page.getByRole('status')).toContainText('Correo confirmado');
  await signIn(page, email, REGISTER_PASSWORD);
  await expect(page).toHaveURL(/\/es\/learning/);
  await committeePage.reload();
  await expect(committeePage.getByRole('row', { name: /Rosa Nueva Prueba/ })).not.toContainText('Correo sin confirmar');
  await committee.close();

  await page.goto('/es/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mi cuenta');
  await expect(page.locator('.details')).toContainText('Instituto Guatemalteco de Migración');
  await expect(page.locator('.details')).toContainText('Guatemala');
  await expectNoAxeViolations(page, 'account');

  await signOut(page);
  await signIn(page, email, REGISTER_PASSWORD);
  await page.goto('/es/account');
  await expect(page.locator('.details')).toContainText(email);
});

test('registering a taken address answers exactly like a new one; the owner gets an e-mail, nobody a session', async ({ page }) => {
  const fresh = await fillRegistration(page, `otra.${unique}@migracion.example.org`, 'Persona Nueva');
  const freshHtml = (await page.locator('main').innerHTML()).replace(`otra.${unique}@migracion.example.org`, '<email>');
  const taken = await fillRegistration(page, 'fiscal@demo.capacita.test', 'Persona Nueva');
  const takenHtml = (await page.locator('main').innerHTML()).replace('fiscal@demo.capacita.test', '<email>');
  expect(taken.status()).toBe(fresh.status());
  expect(takenHtml).toBe(freshHtml);
  expect((await taken.allHeaders())['set-cookie'] ?? '').not.toContain('capacita_session');
  expect((await fresh.allHeaders())['set-cookie'] ?? '').not.toContain('capacita_session');
  const notice = await waitForMail('fiscal@demo.capacita.test', (m) => m.subject === 'Ya tiene una cuenta de Capacita');
  expect(notice.text).toContain('no se creó ninguna cuenta nueva');
});

test('registration explains what is wrong, in the page language, and keeps what was typed', async ({ page }) => {
  await page.goto('/en/register');
  await page.getByLabel('Full name').fill('Short Pass');
  await page.getByLabel('E-mail').fill(`short.${unique}@example.org`);
  await page.getByLabel('Password').fill('tooshort');
  await page.getByLabel('Country').selectOption({ label: 'Honduras' });
  await page.getByLabel('Institution').selectOption({ label: 'Secretaría de Salud (SESAL)' });
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create account' }).click();
  expect((await response).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('at least 12 characters');
  await expect(page.getByLabel('Full name')).toHaveValue('Short Pass');
});

test('a wrong password gets a generic error and the sixth rapid attempt is throttled', async ({ page }) => {
  await page.goto('/es/login');
  for (let i = 1; i <= 5; i++) {
    await page.locator('input[name="email"]').fill('oficial@demo.capacita.test');
    await page.locator('input[name="password"]').fill(`contraseña equivocada ${i}`);
    await page.locator('form.stack button[type="submit"]').click();
    await expect(page.getByRole('alert')).toHaveText('El correo o la contraseña no son correctos.');
  }
  await page.locator('input[name="email"]').fill('oficial@demo.capacita.test');
  await page.locator('input[name="password"]').fill('contraseña equivocada 6');
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.locator('form.stack button[type="submit"]').click();
  expect((await response).status()).toBe(429);
  await expect(page.getByRole('alert')).toContainText('Demasiados intentos fallidos');
});

test('an unknown e-mail gets exactly the same message as a wrong password', async ({ page }) => {
  await page.goto('/en/login');
  await page.locator('input[name="email"]').fill(`nobody.${unique}@example.org`);
  await page.locator('input[name="password"]').fill('whatever whatever');
  await page.locator('form.stack button[type="submit"]').click();
  await expect(page.getByRole('alert')).toHaveText('The e-mail or the password is not correct.');
});

test('the language switch keeps the page, and / follows the browser language', async ({ page, browser }) => {
  await page.goto('/es/login');
  await page.getByRole('link', { name: 'Read this page in English' }).click();
  await expect(page).toHaveURL(/\/en\/login$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await page.getByRole('link', { name: 'Leer esta página en español' }).click();
  await expect(page).toHaveURL(/\/es\/login$/);

  const english = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } });
  const englishPage = await english.newPage();
  await englishPage.goto('/');
  await expect(englishPage).toHaveURL(/\/en\/$/);
  await english.close();
});

test('signed-in people can sign out every other session', async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await signIn(a, 'periodista@demo.capacita.test');
  await signIn(b, 'periodista@demo.capacita.test');
  await a.goto('/es/account');
  await a.getByRole('button', { name: 'Cerrar las demás sesiones' }).click();
  await expect(a.getByRole('status')).toContainText('Se cerraron las sesiones');
  await b.goto('/es/account');
  await expect(b).toHaveURL(/\/es\/login/);
  await first.close();
  await second.close();
});

test('home, login and register pages have no axe violations, in both languages', async ({ page }) => {
  for (const path of ['/es/', '/en/', '/es/login', '/en/login', '/es/register', '/en/register', '/es/no-existe']) {
    await page.goto(path);
    await expectNoAxeViolations(page, path);
  }
});

test('the 404 page answers 404 and healthz reports the database', async ({ request }) => {
  expect((await request.get('/es/no-existe')).status()).toBe(404);
  expect((await request.get('/xx/')).status()).toBe(404);
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'ok' } });
});

test('security headers are set and cross-origin form posts are refused', async ({ request }) => {
  const home = await request.get('/es/');
  const headers = home.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'self'");
  expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  const forged = await request.post('/es/login?_action=auth.signIn', {
    headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    data: 'email=oficial%40demo.capacita.test&password=x',
  });
  expect(forged.status()).toBe(403);
});
