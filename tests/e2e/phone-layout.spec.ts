// A phone's first screen: the header is one row with a menu that opens without JavaScript, the hotline is a tap-to-call
// link, and the certificates table shows every column; on a wide screen the links stay in the header.
import { expect, test } from './helpers/fixture.ts';
import { signIn } from './helpers/session.ts';
import { enrol, UI } from './helpers/course.ts';

test.describe('phone, without JavaScript', () => {
  test.use({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });

  test('the header is one compact row and its menu opens as a disclosure', async ({ page }, testInfo) => {
    await signIn(page, 'comite.gt@demo.capacita.test');
    await page.goto('/es/courses');
    const header = page.locator('.site-header');
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(72);
    const nav = page.getByRole('navigation', { name: 'Navegación principal' });
    await expect(nav.getByRole('link', { name: 'Panel' })).toBeHidden();
    const menu = page.locator('.nav-menu > summary');
    const box = (await menu.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await menu.click();
    await expect(nav.getByRole('link', { name: 'Panel' })).toBeVisible();
    await expect(nav.getByRole('button', { name: 'Cerrar sesión' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('header-open-390.png') });
    await nav.getByRole('link', { name: 'Panel' }).click();
    await expect(page).toHaveURL(/\/es\/dashboard$/);
  });
});

test('on a wide screen the navigation is in the header without a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto('/es/');
  await expect(page.locator('.nav-menu > summary')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Cursos' })).toBeVisible();
  expect((await page.locator('.site-header').boundingBox())!.height).toBeLessThanOrEqual(60);
});

test('the hotline of the learner’s country is a tap-to-call link', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  // Honduras: its confirmed hotline (db/seed/reference-data.ts, CONFIRMED_HOTLINES).
  await signIn(page, 'oficial@demo.capacita.test');
  await page.goto('/es/courses/basico-fundamentos');
  // Other specs may have enrolled the demo learner already.
  if ((await page.getByRole('button', { name: UI.es.enrol }).count()) > 0) await enrol(page, 'basico-fundamentos', 'es');
  await page.goto('/es/courses/basico-fundamentos/identificacion-y-referencia');
  const hotline = page.locator('.hotline');
  await expect(hotline.getByRole('link', { name: '145' })).toHaveAttribute('href', 'tel:145');
  await hotline.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('hotline-390.png') });
});
