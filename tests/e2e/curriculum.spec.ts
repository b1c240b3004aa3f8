// The rest of the curriculum end to end: a journalist completes Medios in Spanish, an official completes Autocuidado
// in English, and the smuggling-of-migrants course is completed in both languages by approved specialists (after
// Básico, its prerequisite) — enrolment, every lesson with its required activities, the final quiz, the certificate
// and its public verification. (Básico in Spanish is covered by learning.spec.ts.)
import { expect, test, type Browser, type Page } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { completeLessons, enrol, passQuiz, register, requiredActivities, type Locale } from './helpers/course.ts';
import { signIn, signOut } from './helpers/session.ts';

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

const BASICO = 'basico-fundamentos';
const SMUGGLING = 'especializado-trafico-migrantes';

/** Completes a whole course from its page in `locale`: enrolment, lessons with their required activities, quiz. */
async function completeCourse(page: Page, course: string, locale: Locale): Promise<string> {
  await enrol(page, course, locale);
  await completeLessons(page, course, locale, async () => {
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
  });
  return passQuiz(page, course, locale);
}

test('the demo specialist completes Básico and then the smuggling-of-migrants course in Spanish', async ({ page, browser }) => {
  test.setTimeout(300_000);
  expect(requiredActivities(SMUGGLING, 'es', 'de-trafico-a-trata-e-investigacion')).toEqual(['tim-decision-es']);
  await signIn(page, 'fiscal@demo.capacita.test');
  // Especializado stays closed until Básico is passed, even for an approved specialist.
  await page.goto(`/es/courses/${SMUGGLING}`);
  await expect(page.locator('.course-status')).toContainText('Requiere haber aprobado el curso Básico.');
  await completeCourse(page, BASICO, 'es');

  await page.goto(`/es/courses/${SMUGGLING}`);
  await expectNoAxeViolations(page, 'smuggling course page');
  const code = await completeCourse(page, SMUGGLING, 'es');
  await expect(page.locator('.certificate')).toContainText('Carlos Demo');
  await expect(page.locator('.certificate')).toContainText('Tráfico ilícito de migrantes: investigación y protección');
  await expectValidOnVerify(browser, code, 'Carlos Demo');
});

test('an official approved as specialist completes the smuggling-of-migrants course in English', async ({ page, browser }) => {
  test.setTimeout(300_000);
  expect(requiredActivities(SMUGGLING, 'en', 'de-trafico-a-trata-e-investigacion')).toEqual(['tim-decision-en']);
  const name = 'Daniel Border Unit Test';
  const email = `trafico.${unique}@migracion.example.org`;
  const password = 'mareas altas en la costa norte';
  await register(page, { locale: 'en', preferredLocale: 'en', kind: 'official', name, email, password, country: 'Honduras', institution: 'Secretaría de Salud (SESAL)' });
  await completeCourse(page, BASICO, 'en');
  await page.goto(`/en/courses/${SMUGGLING}`);
  await page.getByLabel('Specialised unit').fill('Border Unit against Smuggling of Migrants');
  await page.getByLabel('Reason for the request').fill('I investigate smuggling cases at the northern border post.');
  await page.getByRole('button', { name: 'Request specialised-unit membership' }).click();
  await expect(page.getByRole('status')).toContainText('Request sent');
  await signOut(page);

  // The committee of the learner's country approves the request.
  await signIn(page, 'comite.hn@demo.capacita.test');
  await page.goto('/es/admin/specialists');
  const card = page.getByRole('listitem').filter({ hasText: email });
  await card.getByLabel('Motivo').fill('Integra la unidad de investigación de tráfico ilícito de migrantes.');
  await card.getByRole('button', { name: 'Aprobar' }).click();
  await expect(page.getByRole('status')).toContainText('Solicitud aprobada');
  await signOut(page);

  await signIn(page, email, password, 'en');
  await page.goto(`/en/courses/${SMUGGLING}`);
  await expectNoAxeViolations(page, 'English smuggling course page');
  const code = await completeCourse(page, SMUGGLING, 'en');
  await expect(page.locator('.certificate')).toContainText(name);
  await expect(page.locator('.certificate')).toContainText('Smuggling of migrants: investigation and protection');
  await expectValidOnVerify(browser, code, name);
});
