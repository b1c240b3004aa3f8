// Signing in the way people arrive at it: from a page that asked for it (and back there), after a mistyped password
// (the address stays), with a return address somebody crafted (ignored), and as committee or coordination (their
// dashboard, not "Mi aprendizaje").
import { expect, test } from './helpers/fixture.ts';
import { DEMO_PASSWORD } from './helpers/session.ts';

test('a protected page sends the person to sign in and back; a wrong password keeps the address', async ({ page }, testInfo) => {
  await page.goto('/es/admin/people?q=Demo');
  await expect(page).toHaveURL(/\/es\/login\?next=%2Fes%2Fadmin%2Fpeople%3Fq%3DDemo$/);
  await page.getByLabel('Correo electrónico').fill('comite.gt@demo.capacita.test');
  await page.getByLabel('Contraseña', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Correo electrónico')).toHaveValue('comite.gt@demo.capacita.test');
  await expect(page.getByLabel('Contraseña', { exact: true })).toHaveValue('');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: testInfo.outputPath(`login-refused-${width}.png`), fullPage: true });
  }
  await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page).toHaveURL(/\/es\/admin\/people\?q=Demo$/);
});

test('a return address that leaves the site is ignored', async ({ page }) => {
  for (const next of ['//evil.example/es/', 'https://evil.example/', '/\\evil.example']) {
    await page.context().clearCookies();
    await page.goto(`/es/login?next=${encodeURIComponent(next)}`);
    await expect(page.locator('input[name="next"]')).toHaveCount(0);
    await page.getByLabel('Correo electrónico').fill('oficial@demo.capacita.test');
    await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/es\/learning$/);
  }
});

test('committee and coordination accounts land on their dashboard', async ({ page }) => {
  for (const email of ['comite.gt@demo.capacita.test', 'coordinacion@demo.capacita.test']) {
    await page.context().clearCookies();
    await page.goto('/es/login');
    await page.getByLabel('Correo electrónico').fill(email);
    await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page).toHaveURL(/\/es\/dashboard$/);
    await page.goto('/es/login');
    await expect(page).toHaveURL(/\/es\/dashboard$/);
  }
});
