import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'capacita-demo-2026';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, locale: 'es' | 'en' = 'es'): Promise<void> {
  await page.goto(`/${locale}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form.stack button[type="submit"]').click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function signOut(page: Page): Promise<void> {
  await page.locator('.site-header form button[type="submit"]').click();
  await expect(page.locator('.site-header')).toContainText(/Iniciar sesión|Sign in/);
}
