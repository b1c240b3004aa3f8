// The learner's journey: catalogue → enrolment → lessons → quiz (fail, then pass) → certificate → PDF → public
// verification; and the rules that keep Actualización and Especializado closed until their requirements are met.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { expectNoAxeViolations } from './a11y.ts';
import { signIn } from './session.ts';

const unique = Date.now().toString(36);
const BASICO = 'basico-fundamentos';
const manifest = parse(readFileSync(`content/courses/${BASICO}/course.yaml`, 'utf8')) as { lessons: string[] };
type Bilingual = { es: string; en: string };
type Q = { id: string; type: string; text: Bilingual; options?: { id: string; text: Bilingual }[]; answer?: string[] | boolean; pairs?: { id: string; left: Bilingual; right: Bilingual }[]; explanation: Bilingual };
// The test (in Node) may read the answers; the browser never gets them.
const bank = parse(readFileSync(`content/courses/${BASICO}/quiz.yaml`, 'utf8')) as { questions: Q[] };

async function registerOfficial(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/es/register');
  await page.getByLabel('Nombre completo').fill(name);
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill('ríos verdes bajo la lluvia');
  await page.getByLabel('País').selectOption({ label: 'Honduras' });
  await page.getByLabel('Institución').selectOption({ label: 'Secretaría de Salud (SESAL)' });
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page).toHaveURL(/\/es\/learning/);
}

/** Answers every question of the quiz form correctly, matching questions by their text. */
async function answerCorrectly(page: Page): Promise<void> {
  const fieldsets = page.locator('form.quiz fieldset.question');
  const count = await fieldsets.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const fieldset = fieldsets.nth(i);
    const legend = (await fieldset.locator('legend').innerText()).trim();
    const q = bank.questions.find((x) => legend.endsWith(x.text.es.trim()));
    expect(q, `question for "${legend}"`).toBeTruthy();
    await answerOne(fieldset, q!);
  }
}

async function answerOne(fieldset: Locator, q: Q): Promise<void> {
  const option = (id: string) => q.options!.find((o) => o.id === id)!.text.es;
  if (q.type === 'single' || q.type === 'multiple') {
    for (const id of q.answer as string[]) await fieldset.getByLabel(option(id), { exact: true }).check();
  } else if (q.type === 'truefalse') {
    await fieldset.getByLabel(q.answer ? 'Verdadero' : 'Falso', { exact: true }).check();
  } else if (q.type === 'ordering') {
    for (const [index, o] of q.options!.entries()) await fieldset.getByLabel(o.text.es, { exact: true }).selectOption(String(index + 1));
  } else if (q.type === 'matching') {
    for (const p of q.pairs!) await fieldset.getByLabel(p.left.es, { exact: true }).selectOption({ label: p.right.es });
  }
}

/** Completes an H5P activity in the page the way a learner does (the test reads the right answers from the package). */
async function completeActivity(page: Page, id: string): Promise<void> {
  const section = page.locator(`section[data-h5p-id="${id}"]`);
  await section.scrollIntoViewIfNeeded();
  await expect(section).toHaveAttribute('data-h5p-state', 'ready');
  const library = (JSON.parse(readFileSync(`content/h5p/${id}/h5p.json`, 'utf8')) as { mainLibrary: string }).mainLibrary;
  expect(library, `${id}: this test answers Capacita.Classify activities`).toBe('Capacita.Classify');
  const content = JSON.parse(readFileSync(`content/h5p/${id}/content/content.json`, 'utf8')) as { categories: { id: string; label: string }[]; cards: { text: string; category: string }[] };
  for (const card of content.cards) {
    const label = content.categories.find((c) => c.id === card.category)!.label;
    await section.getByRole('group', { name: card.text }).getByRole('radio', { name: label, exact: true }).check();
  }
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await section.getByRole('button', { name: 'Comprobar' }).click();
  expect((await posted).status()).toBe(201);
}

async function verifySignedOut(browser: Browser, code: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/verify/${code}`);
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'valid');
  await expect(page.locator('.verification')).toContainText('Rosa Aprende Prueba');
  await expect(page.locator('.verification')).not.toContainText('@');
  await expectNoAxeViolations(page, 'verification');
  // The form at /es/verify, with the code typed in lower case and without dashes.
  await page.goto('/es/verify');
  await page.getByLabel('Código de verificación').fill(code.replaceAll('-', '').toLowerCase());
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page).toHaveURL(new RegExp(`/es/verify/${code}$`));
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'valid');
  await expectNoAxeViolations(page, 'verification form result');
  // Unknown and malformed codes: a clear 404, never a 500.
  for (const bad of ['ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'not-a-code', '%27%3B--']) {
    const response = await page.goto(`/en/verify/${bad}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('alert')).toContainText('no certificate');
  }
  await context.close();
}

test('a new official completes Básico: lessons, a failed and a passed quiz, certificate, PDF, public verification', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await registerOfficial(page, 'Rosa Aprende Prueba', `aprende.${unique}@salud.example.org`);

  await page.goto('/es/courses');
  await expect(page.locator(`[data-course="${BASICO}"]`)).toContainText('Disponible');
  await expectNoAxeViolations(page, 'catalogue');

  await page.goto(`/es/courses/${BASICO}`);
  await expectNoAxeViolations(page, 'course');
  await page.getByRole('button', { name: 'Inscribirme' }).click();
  await expect(page).toHaveURL(new RegExp(`/es/courses/${BASICO}/${manifest.lessons[0]}$`));

  // A knowledge check: ungraded, feedback only after answering.
  const check = page.locator('.knowledge-check').first();
  if (await check.count()) {
    await expect(check.locator('[role="status"]')).toHaveCount(0);
    await check.locator('input[type="radio"], input[type="checkbox"]').first().check();
    await check.getByRole('button', { name: 'Comprobar' }).click();
    await expect(page.locator('.knowledge-check [role="status"]').first()).toBeVisible();
  }
  await expectNoAxeViolations(page, 'lesson');

  for (const [i, lesson] of manifest.lessons.entries()) {
    await page.goto(`/es/courses/${BASICO}/${lesson}`);
    await expect(page.locator('.scenario-notice').first()).toContainText('Caso ficticio compuesto');
    const required = [...readFileSync(`content/courses/${BASICO}/es/${lesson}.mdx`, 'utf8').matchAll(/<H5P id="([^"]+)" required/g)].map((m) => m[1]!);
    if (required.length > 0) {
      // A required activity gates the lesson: refused until it is completed.
      await page.getByRole('button', { name: 'Marcar como completada y seguir' }).click();
      await expect(page.getByRole('alert')).toContainText('actividades obligatorias');
      for (const id of required) await completeActivity(page, id);
    }
    await page.getByRole('button', { name: 'Marcar como completada y seguir' }).click();
    const next = manifest.lessons[i + 1];
    await expect(page).toHaveURL(next ? new RegExp(`/${next}$`) : /\/quiz$/);
  }

  // "Continue" resumes at the last lesson visited.
  await page.goto(`/es/courses/${BASICO}`);
  await expect(page.getByRole('link', { name: 'Continuar' })).toHaveAttribute('href', `/es/courses/${BASICO}/${manifest.lessons.at(-1)}`);

  // First attempt: submitted blank, fails.
  await page.goto(`/es/courses/${BASICO}/quiz`);
  await page.getByRole('button', { name: 'Comenzar la evaluación' }).click();
  await expect(page.locator('form.quiz fieldset')).toHaveCount(15);
  await expectNoAxeViolations(page, 'quiz');
  // Nothing in the page tells the right answer: no explanations, no option ids, no islands with props.
  const html = await page.content();
  for (const q of bank.questions) expect(html).not.toContain(q.explanation.es);
  expect(html).not.toContain('astro-island');
  const values = await page.locator('form.quiz input[type="radio"], form.quiz input[type="checkbox"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  for (const v of values) expect(v).toMatch(/^(\d+|true|false)$/);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('no alcanzaste');
  await expect(page.locator('.review li').first()).toContainText('Explicación');
  await expectNoAxeViolations(page, 'result');

  // Second attempt: answered from the bank, passes; the certificate exists at once.
  await page.getByRole('link', { name: 'Volver a la evaluación' }).click();
  await page.getByRole('button', { name: 'Comenzar otro intento' }).click();
  await answerCorrectly(page);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Aprobaste!');
  await page.getByRole('link', { name: 'Ver mi certificado' }).click();
  await expect(page.locator('.certificate')).toContainText('Rosa Aprende Prueba');
  await expect(page.locator('.certificate svg')).toHaveCount(1);
  await expectNoAxeViolations(page, 'certificate');
  const code = (await page.locator('.certificate code').innerText()).trim();
  expect(code).toMatch(/^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$/);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Descargar PDF' }).click();
  const pdf = await download;
  const path = await pdf.path();
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');

  // My learning lists the certificate.
  await page.goto('/es/learning');
  await expect(page.locator('table')).toContainText('Válido');
  await expectNoAxeViolations(page, 'my learning');

  await verifySignedOut(browser, code);
});

test('without Básico, Actualización and Especializado say what is missing and refuse even a crafted enrolment', async ({ page }) => {
  await registerOfficial(page, 'Luis Sin Basico', `sinbasico.${unique}@salud.example.org`);
  const origin = new URL(page.url()).origin;
  const courses = ['actualizacion-2026', 'especializado-investigacion'];
  for (const course of courses) {
    await page.goto(`/es/courses/${course}`);
    const status = page.locator('.course-status');
    await expect(status).toContainText('Bloqueado');
    await expect(status).toContainText('Requiere haber aprobado el curso Básico.');
    await expect(page.getByRole('button', { name: 'Inscribirme' })).toHaveCount(0);
    await expectNoAxeViolations(page, `locked ${course}`);
    const response = await page.request.post(`/es/courses/${course}?_action=learning.enrol`, { form: { course }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    await page.goto(`/es/courses/${course}`);
    await expect(page.locator('.course-status')).toContainText('Bloqueado');
  }
  // Especializado also needs the specialised-unit membership, which the learner can request.
  await page.goto('/es/courses/especializado-investigacion');
  await expect(page.locator('.course-status')).toContainText('unidad especializada');
  await page.getByRole('button', { name: 'Solicitar la membresía de unidad especializada' }).click();
  await expect(page.getByRole('status')).toContainText('Solicitud enviada');
  await expect(page.locator('.course-status')).toContainText('pendiente de aprobación');
});

test('an observer cannot enrol, even with a crafted POST', async ({ page }) => {
  await signIn(page, 'observador@demo.capacita.test');
  const origin = new URL(page.url()).origin;
  const response = await page.request.post('/es/courses/basico-fundamentos?_action=learning.enrol', { form: { course: 'basico-fundamentos' }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('enrolling, marking a lesson done and a knowledge check all work', async ({ page }) => {
    await registerOfficial(page, 'Ana Sin Script', `sinjs.${unique}@salud.example.org`);
    await page.goto(`/es/courses/${BASICO}`);
    await page.getByRole('button', { name: 'Inscribirme' }).click();
    await expect(page).toHaveURL(new RegExp(`/${manifest.lessons[0]}$`));
    const check = page.locator('.knowledge-check').first();
    await check.locator('input[type="radio"], input[type="checkbox"]').first().check();
    await check.getByRole('button', { name: 'Comprobar' }).click();
    await expect(page.locator('.knowledge-check [role="status"]').first()).toBeVisible();
    await page.getByRole('button', { name: 'Marcar como completada y seguir' }).click();
    await expect(page).toHaveURL(new RegExp(`/${manifest.lessons[1]}$`));
    await expect(page.getByLabel(/Avance del curso/)).toHaveAttribute('value', String(Math.round(100 / (manifest.lessons.length + 1))));
  });
});
