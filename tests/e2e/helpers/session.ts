import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'capacita-demo-2026';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, locale: 'es' | 'en' = 'es') {
  await page.goto(`/${locale}/login`);
  await page.getByLabel(locale === 'es' ? 'Correo electrónico' : 'E-mail').fill(email);
  await page.getByLabel(locale === 'es' ? 'Contraseña' : 'Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: locale === 'es' ? 'Entrar' : 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function signOut(page: Page) {
  await page.context().clearCookies();
}
