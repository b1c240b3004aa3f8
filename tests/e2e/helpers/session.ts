// Signing in and out the way a person does, for every e2e spec.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'capacita-demo-2026';

/**
 * Signs in through the login form (the page in `locale`); with two factors on, it ends on the code page. `origin`: a
 * server of the spec's own (tests/e2e/support/instance.ts) rather than the context's base URL.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, locale: 'es' | 'en' = 'es', origin = ''): Promise<void> {
  await page.goto(`${origin}/${locale}/login`);
  await page.getByLabel(locale === 'es' ? 'Correo electrónico' : 'E-mail').fill(email);
  await page.getByLabel(locale === 'es' ? 'Contraseña' : 'Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: locale === 'es' ? 'Entrar' : 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Signs out with the header's sign-out button (the current page must be a signed-in page). */
export async function signOut(page: Page): Promise<void> {
  await page.locator('.site-header').getByRole('button', { name: /^(Cerrar sesión|Sign out)$/ }).click();
  await expect(page.locator('.site-header')).toContainText(/Iniciar sesión|Sign in/);
}
