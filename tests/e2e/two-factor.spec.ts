// A coordinator turns on two-step verification voluntarily, then must enter a code at the next sign-in. At the end an
// administrator resets it, so the demo coordinator is as before for other specs.
import { expect, test, type Page } from './helpers/fixture.ts';
import AxeBuilder from '@axe-core/playwright';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP, generateTOTP } from '@oslojs/otp';
import { DEMO_PASSWORD, signIn, signOut } from './helpers/session.ts';

const COORDINATOR = 'coordinacion@demo.capacita.test';

async function signInWithPassword(page: Page) {
  await page.goto('/es/login');
  await page.getByLabel('Correo electrónico').fill(COORDINATOR);
  await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

test('a coordinator enrols TOTP and must enter a code on the next sign-in', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/es/account');
  await page.getByRole('link', { name: 'Activar la verificación en dos pasos' }).click();
  await expect(page).toHaveURL(/\/es\/two-factor\/setup$/);
  await expect(page.getByRole('img', { name: 'Código QR para la aplicación de autenticación' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
  const key = decodeBase32IgnorePadding((await page.getByTestId('totp-key').textContent())!.replace(/\s+/g, ''));

  // A wrong code keeps the same key; the right one turns it on and shows the recovery codes once.
  await page.getByLabel('Código', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
  await expect(page.getByRole('alert')).toContainText('El código no es correcto');
  const enrolCode = generateTOTP(key, 30, 6);
  await page.getByLabel('Código', { exact: true }).fill(enrolCode);
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
  await expect(page.getByRole('status')).toContainText('Verificación en dos pasos activada');
  const recovery = await page.getByTestId('recovery-codes').locator('code').allTextContents();
  expect(recovery).toHaveLength(10);

  // Next sign-in: the password alone reaches only the code page.
  await signOut(page);
  await signInWithPassword(page);
  await expect(page).toHaveURL(/\/es\/two-factor$/);
  for (const path of ['/es/admin', '/es/account', '/es/admin/audit']) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/es\/two-factor$/);
  }
  await page.getByLabel('Código', { exact: true }).fill('123456');
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page.getByRole('alert')).toContainText('El código no es correcto');
  // A code is good once: the one that turned verification on does not open a session.
  await page.getByLabel('Código', { exact: true }).fill(enrolCode);
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page.getByRole('alert')).toContainText('El código no es correcto');
  // The phone's next code (one step of drift is accepted) does.
  await page.getByLabel('Código', { exact: true }).fill(generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6));
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page).not.toHaveURL(/two-factor/);
  await page.goto('/es/admin/audit?action=auth.2fa');
  await expect(page.getByRole('cell', { name: 'auth.2fa.enrol' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'auth.2fa.verified' })).toBeVisible();

  // A recovery code works once too.
  await signOut(page);
  await signInWithPassword(page);
  await page.getByLabel('Código', { exact: true }).fill(recovery[0]!);
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page).not.toHaveURL(/two-factor/);

  // Switching to another app takes a code from the current one (or a recovery code), not the password alone.
  await page.goto('/es/two-factor/setup');
  await expect(page.getByText('Ya tiene la verificación en dos pasos activada')).toBeVisible();
  const newKey = decodeBase32IgnorePadding((await page.getByTestId('totp-key').textContent())!.replace(/\s+/g, ''));
  await page.getByLabel('Código', { exact: true }).fill(generateTOTP(newKey, 30, 6));
  await page.getByLabel('Código de su aplicación actual').fill('123456');
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
  await expect(page.getByRole('alert')).toContainText('El código de su aplicación actual no es correcto');
  await page.getByLabel('Código', { exact: true }).fill(generateTOTP(newKey, 30, 6));
  await page.getByLabel('Código de su aplicación actual').fill(recovery[1]!);
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
  await expect(page.getByRole('status')).toContainText('Verificación en dos pasos activada');

  // Leave the demo coordinator as it was: an administrator resets the second factor.
  await signOut(page);
  await signIn(page, 'admin@demo.capacita.test');
  await page.goto('/es/admin/people?q=coordinacion');
  await page.getByRole('link', { name: 'Coordinación Regional Demo' }).click();
  await page.getByRole('button', { name: 'Restablecer el segundo factor' }).click();
  await expect(page.getByRole('status')).toContainText('Cambios guardados');
  await signOut(page);
  await signIn(page, COORDINATOR);
  await expect(page).not.toHaveURL(/two-factor/);
});
