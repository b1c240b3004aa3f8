// A locked course says the one reason that applies and what to do: a journalist is told the programme is for public
// officials (and where their courses are), not a list of requirements that could never open it; an official without
// Básico reads that requirement once, with the way to the Básico course.
import { expect, test } from './helpers/fixture.ts';
import { signIn } from './helpers/session.ts';

const REFRESHER = 'actualizacion-2026';

test('a journalist sees only that the programme is not for them, and where their courses are', async ({ page }, testInfo) => {
  await signIn(page, 'periodista@demo.capacita.test');
  await page.goto(`/es/courses/${REFRESHER}`);
  const status = page.locator('.course-status');
  await expect(status).toContainText('Este programa es solo para funcionariado público.');
  await expect(status).not.toContainText('Requiere');
  await expect(status.getByRole('link', { name: 'Ver los cursos abiertos para su perfil' })).toHaveAttribute('href', '/es/courses');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`gate-journalist-${width}.png`), fullPage: true });
  }
});

test('an official without Básico reads the requirement once, with the way to the Básico course', async ({ page }, testInfo) => {
  await signIn(page, 'solicitante@demo.capacita.test');
  await page.goto(`/es/courses/${REFRESHER}`);
  const status = page.locator('.course-status');
  await expect(status.locator('.reasons li')).toHaveCount(1);
  await expect(status.locator('.reasons li')).toHaveText('Requiere haber aprobado el curso Básico.');
  await expect(status).not.toContainText('Cuando cumpla estos requisitos');
  // Said once on the whole page, not again under the prerequisites.
  await expect(page.getByText('Requiere haber aprobado el curso Básico.')).toHaveCount(1);
  await expect(status.getByRole('link', { name: /^Empezar por «/ })).toHaveAttribute('href', '/es/courses/basico-fundamentos');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`gate-official-${width}.png`), fullPage: true });
  }
});
