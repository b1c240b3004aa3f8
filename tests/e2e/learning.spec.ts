// The learner's journey: catalogue → enrolment → lessons → quiz (fail, then pass) → certificate → PDF → public
// verification; and the rules that keep Actualización and Especializado closed until their requirements are met.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { answerQuizCorrectly, certificateCode, completeLessons, readBank, readManifest, register } from './helpers/course.ts';
import { signIn } from './helpers/session.ts';

const unique = Date.now().toString(36);
const BASICO = 'basico-fundamentos';
const manifest = readManifest(BASICO);
// The test (in Node) may read the answers; the browser never gets them.
const bank = readBank(BASICO);

/** The words the review shows for a question's right answer (src/server/learning/quiz/describe.ts). */
function rightAnswerWords(q: (typeof bank.questions)[number]): string[] {
  if (q.type === 'truefalse') return [q.answer ? 'Verdadero' : 'Falso'];
  if (q.type === 'single' || q.type === 'multiple') return (q.answer as string[]).map((id) => q.options!.find((o) => o.id === id)!.text.es);
  if (q.type === 'ordering') return q.options!.map((o, n) => `${n + 1}. ${o.text.es}`);
  return q.pairs!.map((p) => `${p.left.es} → ${p.right.es}`);
}

async function registerOfficial(page: Page, name: string, email: string): Promise<void> {
  await register(page, { locale: 'es', kind: 'official', name, email, country: 'Honduras', institution: 'Secretaría de Salud (SESAL)' });
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

  await completeLessons(page, BASICO, 'es', async () => {
    await expect(page.locator('.scenario-notice').first()).toContainText('Caso ficticio compuesto');
  });

  // "Continue" resumes at the last lesson visited.
  await page.goto(`/es/courses/${BASICO}`);
  await expect(page.getByRole('link', { name: 'Continuar' })).toHaveAttribute('href', `/es/courses/${BASICO}/${manifest.lessons.at(-1)}`);

  // First attempt: submitted blank, fails.
  await page.goto(`/es/courses/${BASICO}/quiz`);
  await page.getByRole('button', { name: 'Comenzar la evaluación' }).click();
  await expect(page.locator('form.quiz fieldset')).toHaveCount(15);
  // The attempt's time counts down in the page (30 minutes for Básico), quietly for screen readers.
  const clock = page.getByRole('timer');
  await expect(clock).toHaveText(/^(30:00|29:[0-5]\d)$/);
  const shown = await clock.textContent();
  await expect(clock).not.toHaveText(shown!, { timeout: 3_000 });
  await expect(clock).toHaveAttribute('aria-live', 'off');
  await expectNoAxeViolations(page, 'quiz');
  // The same attempt in a second tab whose clock we run forward: it speaks at five minutes, one minute and the end.
  const timed = await page.context().newPage();
  await timed.clock.install();
  await timed.goto(`/es/courses/${BASICO}/quiz`);
  const announce = timed.locator('.quiz-countdown [role="status"]');
  await expect(announce).toHaveText('');
  await timed.clock.fastForward('25:05');
  await expect(announce).toHaveText('Quedan cinco minutos.');
  await timed.clock.fastForward('04:00');
  await expect(announce).toHaveText('Queda un minuto: envíe sus respuestas.');
  await timed.clock.fastForward('01:00');
  await expect(timed.getByRole('timer')).toHaveText('0:00');
  await expect(announce).toContainText('Se acabó el tiempo');
  await timed.close();
  // Nothing in the page tells the right answer: no explanations, no option ids, no islands with props.
  const html = await page.content();
  for (const q of bank.questions) expect(html).not.toContain(q.explanation.es);
  expect(html).not.toContain('astro-island');
  const values = await page.locator('form.quiz input[type="radio"], form.quiz input[type="checkbox"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  for (const v of values) expect(v).toMatch(/^(\d+|true|false)$/);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  // The quiz page has two live regions (countdown, autosave): wait for the result's.
  await expect(page.getByRole('status').filter({ hasText: 'no alcanzó' })).toBeVisible();
  // Attempts remain: the review says which questions were wrong and what was answered, never the key.
  await expect(page.locator('[data-key-hidden]')).toContainText('último intento');
  await expect(page.locator('.review > li')).toHaveCount(15);
  await expect(page.locator('.review > li.is-wrong')).toHaveCount(15);
  await expect(page.locator('.review [data-your-answer]')).toHaveCount(15);
  await expect(page.locator('.review [data-right-answer]')).toHaveCount(0);
  const review = await page.content();
  for (const q of bank.questions) expect(review).not.toContain(q.explanation.es);
  const blankSingle = page.locator('.review > li').filter({ has: page.locator('[data-your-answer]', { hasText: '(sin respuesta)' }) });
  expect(await blankSingle.count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, 'result');

  // Second attempt: answered from the bank, passes; the certificate exists at once.
  await page.getByRole('link', { name: 'Volver a la evaluación' }).click();
  await page.getByRole('button', { name: 'Comenzar otro intento' }).click();
  await answerQuizCorrectly(page, BASICO, 'es');
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status').filter({ hasText: '¡Aprobó!' })).toBeVisible();
  // Passed: the key shows. Each question's "your answer" and "right answer" say the bank's right answer in words.
  await expect(page.locator('[data-key-hidden]')).toHaveCount(0);
  for (const item of await page.locator('.review li.card').all()) {
    const text = (await item.locator('p').first().innerText()).trim();
    const q = bank.questions.filter((x) => x.text.es.trim() === text)[0];
    expect(q, `question "${text}"`).toBeTruthy();
    const right = rightAnswerWords(q!);
    for (const words of right) {
      await expect(item.locator('[data-your-answer]')).toContainText(words);
      await expect(item.locator('[data-right-answer]')).toContainText(words);
    }
    await expect(item).toContainText(q!.explanation.es);
  }
  await page.getByRole('link', { name: 'Ver mi certificado' }).click();
  await expect(page.locator('.certificate')).toContainText('Rosa Aprende Prueba');
  await expect(page.locator('.certificate svg')).toHaveCount(1);
  await expectNoAxeViolations(page, 'certificate');
  const code = await certificateCode(page);

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
  await page.getByLabel('Unidad especializada').fill('Unidad contra la Trata de la Policía');
  await page.getByLabel('Motivo de la solicitud').fill('Atiendo denuncias de trata en la unidad de la policía.');
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
