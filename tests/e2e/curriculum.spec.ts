// The rest of the curriculum end to end: a journalist completes Medios in Spanish and an official completes
// Autocuidado in English — enrolment, every lesson with its required activities, the final quiz, the certificate and
// its public verification. (Básico in Spanish is covered by learning.spec.ts.)
import { expect, test, type Browser } from '@playwright/test';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { completeLessons, enrol, passQuiz, register, requiredActivities } from './helpers/course.ts';

const unique = Date.now().toString(36);

/** The public verification page, seen by someone who is not signed in. */
async function expectValidOnVerify(browser: Browser, code: string, holder: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/verify/${code}`);
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'valid');
  await expect(page.locator('.verification')).toContainText(holder);
  await context.close();
}

test('a journalist completes Medios in Spanish, required TermMatch activity included, and gets a valid certificate', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const course = 'medios-cobertura-responsable';
  expect(requiredActivities(course, 'es', 'terminologia')).toEqual(['med-terminos-es']);
  const name = 'Marta Periodista Prueba';
  await register(page, { locale: 'es', kind: 'journalist', name, email: `periodista.${unique}@medio.example.org`, country: 'Costa Rica', mediaOutlet: 'La Voz del Valle' });

  await enrol(page, course, 'es');
  await completeLessons(page, course, 'es', async (lesson) => {
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    if (lesson === 'terminologia') {
      await expect(page.locator('section[data-h5p-id="med-terminos-es"]')).toHaveAttribute('data-h5p-required', 'true');
    }
  });
  const code = await passQuiz(page, course, 'es');
  await expect(page.locator('.certificate')).toContainText(name);
  await expect(page.locator('.certificate')).toContainText('Cobertura responsable de la trata de personas');

  await page.goto('/es/learning');
  await expect(page.locator('table')).toContainText('Válido');
  await expectValidOnVerify(browser, code, name);
});

test('an official who chooses English completes Autocuidado in English, required Classify activity included', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const course = 'autocuidado-seguridad';
  expect(requiredActivities(course, 'en', 'desgaste-y-trauma-vicario')).toEqual(['auto-senales-en']);
  const name = 'Carlos Self Care Test';
  await register(page, { locale: 'en', preferredLocale: 'en', kind: 'official', name, email: `autocuidado.${unique}@salud.example.org`, country: 'Honduras', institution: 'Secretaría de Salud (SESAL)' });

  await enrol(page, course, 'en');
  await completeLessons(page, course, 'en', async (lesson) => {
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    if (lesson === 'desgaste-y-trauma-vicario') {
      await expect(page.locator('section[data-h5p-id="auto-senales-en"]')).toHaveAttribute('data-h5p-required', 'true');
    }
  });

  const code = await passQuiz(page, course, 'en');
  await expect(page.locator('.certificate')).toContainText(name);
  await expect(page.locator('.certificate')).toContainText('Self-care and safety for staff who assist victims');
  await expectNoAxeViolations(page, 'English certificate');

  await page.goto('/en/learning');
  await expect(page.locator('table')).toContainText('Valid');
  await expectValidOnVerify(browser, code, name);
});
