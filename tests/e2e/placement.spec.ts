// The placement test for people trained elsewhere: from the locked Actualización page to a server-graded paper drawn
// from the Básico bank; a failed paper changes nothing, a passed one opens Actualización — and no Básico certificate
// appears. Answers come from the content files in Node; the browser never gets them.
import { expect, test } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { answerQuizCorrectly, enrol, readManifest, register } from './helpers/course.ts';

const unique = Date.now().toString(36);
const BASICO = 'basico-fundamentos';
const REFRESHER = 'actualizacion-2026';

test('an official trained elsewhere fails, then passes the placement test and enrols in Actualización without a Básico certificate', async ({ page }) => {
  test.setTimeout(120_000);
  const draw = readManifest(BASICO).quiz.draw;
  await register(page, { locale: 'es', kind: 'official', name: 'Elena Ubicación Prueba', email: `ubicacion.${unique}@salud.example.org`, country: 'Honduras', institution: 'Secretaría de Salud (SESAL)' });

  await page.goto(`/es/courses/${REFRESHER}`);
  await expect(page.locator('.course-status')).toContainText('Requiere haber aprobado el curso Básico.');
  await page.getByRole('link', { name: '¿Se formó en otra institución? Haga la prueba de ubicación.' }).click();
  await expect(page).toHaveURL(/\/es\/placement$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prueba de ubicación');
  await expect(page.getByText('no emite un certificado del Básico')).toBeVisible();
  await expectNoAxeViolations(page, 'placement page');

  // A blank paper fails and leaves Actualización locked.
  await page.getByRole('button', { name: 'Comenzar la prueba de ubicación' }).click();
  await expect(page.locator('form.quiz fieldset.question')).toHaveCount(draw);
  await expectNoAxeViolations(page, 'placement paper');
  await page.getByRole('button', { name: 'Enviar la prueba' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Obtuvo 0 %' })).toBeVisible();
  await expect(page.getByText('Intentos disponibles: 1.')).toBeVisible();
  await page.goto(`/es/courses/${REFRESHER}`);
  await expect(page.getByRole('button', { name: 'Inscribirme' })).toHaveCount(0);

  // The second paper, answered right, passes.
  await page.goto('/es/placement');
  await page.getByRole('button', { name: 'Comenzar la prueba de ubicación' }).click();
  await answerQuizCorrectly(page, BASICO, 'es');
  await page.getByRole('button', { name: 'Enviar la prueba' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Aprobó la prueba de ubicación con 100 %' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Comenzar la prueba de ubicación' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Ir a la Actualización' }).click();

  await enrol(page, REFRESHER, 'es');
  // Básico is still open to take, and no certificate was issued.
  await page.goto(`/es/courses/${BASICO}`);
  await expect(page.getByRole('button', { name: 'Inscribirme' })).toBeVisible();
  await page.goto('/es/learning');
  await expect(page.locator('main')).not.toContainText('Válido');
});

test('a journalist is told the placement test is for officials, and a crafted start is refused', async ({ page }) => {
  await register(page, { locale: 'en', kind: 'journalist', name: 'Paul Press Test', email: `prensa.ubicacion.${unique}@medio.example.org`, country: 'Costa Rica', mediaOutlet: 'The Coast Weekly' });
  await page.goto('/en/placement');
  await expect(page.getByText('The placement test is for public officials.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start the placement test' })).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const response = await page.request.post('/en/placement?_action=placement.start', { form: {}, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
});
