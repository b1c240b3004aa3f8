// Password reset end to end, on an account the test invites itself (the demo accounts stay as they are).
import { expect, test } from './helpers/fixture.ts';
import AxeBuilder from '@axe-core/playwright';
import { linkIn, waitForMail } from './helpers/mail.ts';
import { signIn, signOut } from './helpers/session.ts';

test('password reset by e-mailed link, single use, signs out everywhere', async ({ page, browser }) => {
  const email = `reset-${Date.now()}@e2e.test`;
  // A committee member invites the person; they activate the account.
  await signIn(page, 'comite.gt@demo.capacita.test');
  await page.goto('/es/admin/invite');
  await page.getByLabel('Nombre completo').fill('Persona Restablecer');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByRole('button', { name: 'Enviar invitación' }).click();
  await expect(page.getByRole('status')).toContainText(email);
  await signOut(page);
  const invitation = await waitForMail(email);
  await page.goto(linkIn(invitation, /\/es\/invitation\/[a-z2-7]+/));
  await page.getByLabel('Nueva contraseña', { exact: true }).fill('primera contraseña larga');
  await page.getByLabel('Repita la nueva contraseña').fill('primera contraseña larga');
  await page.getByRole('button', { name: 'Activar mi cuenta' }).click();
  await expect(page).toHaveURL(/done=invitation/);

  // A session on another device, which the reset must end.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, 'primera contraseña larga');

  // The login page links to the form; the answer is the same for unknown addresses.
  await page.goto('/es/login');
  await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
  await expect(page).toHaveURL(/\/es\/forgot-password$/);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
  await page.getByLabel('Correo electrónico').fill('nadie@e2e.test');
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  const unknownAnswer = await page.getByRole('status').textContent();
  await page.goto('/es/forgot-password');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await expect(page.getByRole('status')).toHaveText(unknownAnswer!);

  const mail = await waitForMail(email, (m) => m.subject.includes('Restablecer'));
  const link = linkIn(mail, /\/es\/reset-password\/[a-z2-7]+/);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Elija una contraseña nueva' })).toBeVisible();
  await page.getByLabel('Nueva contraseña', { exact: true }).fill('segunda contraseña larga');
  await page.getByLabel('Repita la nueva contraseña').fill('segunda contraseña larga');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await expect(page).toHaveURL(/\/es\/login\?done=reset/);

  // The other device was signed out; the new password works; the link is spent.
  const response = await otherPage.goto('/es/account');
  await expect(otherPage).toHaveURL(/\/es\/login/);
  expect(response?.status()).toBeLessThan(500);
  await other.close();
  // (That the old password no longer works is a unit test: a failed sign-in here would count against the shared
  // loopback address's throttle, which other specs exercise.)
  await signIn(page, email, 'segunda contraseña larga');
  await signOut(page);
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('Este enlace no es válido');
});
