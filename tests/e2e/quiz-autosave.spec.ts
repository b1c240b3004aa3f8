// The final quiz survives a bad connection (issue 13 §1): answers saved as the learner goes survive closing the page
// and a kill -9 of the server; time-out grades the saved answers (a page view writes nothing); the Save button works
// without JavaScript; a network error on submit keeps the answers; a committee's extra time moves the deadline.
// And the personal-data download reveals nothing that helps answer an open attempt (issue 12 §3).
// Its own server (the built app, own temp database) so it can be killed.
import { createClient, type Client } from '@libsql/client';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { answerQuizCorrectly } from './helpers/course.ts';
import { signIn } from './helpers/session.ts';
import { createInstance, freePort, postAction, seedLearners, type Instance, type SeededLearner } from './support/instance.ts';

const COURSE = 'basico-fundamentos';
const QUIZ = `/es/courses/${COURSE}/quiz`;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let instance: Instance;
let db: Client;
let learners: SeededLearner[];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  instance = await createInstance(await freePort());
  learners = await seedLearners(instance, 6, 'autosave');
  await instance.start();
  db = createClient({ url: instance.dbUrl });
  for (const learner of learners) expect((await postAction(instance, 'learning.enrol', learner.token, { course: COURSE })).status).toBe(200);
});

test.afterAll(async () => {
  db?.close();
  await instance?.dispose();
});

async function contextFor(browser: Browser, learner: SeededLearner, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: instance.origin, ...options });
  await context.addCookies([{ name: 'capacita_session', value: learner.token, url: instance.origin }]);
  return context;
}

async function startQuiz(page: Page): Promise<number> {
  await page.goto(QUIZ);
  await page.getByRole('button', { name: 'Comenzar la evaluación' }).click();
  await expect(page.locator('form.quiz fieldset.question')).toHaveCount(15);
  return Number(await page.locator('form.quiz input[name="attempt"]').inputValue());
}

/** Gives question `i` some answer: its first choice, or a value in every select. */
async function answerSomehow(page: Page, i: number): Promise<void> {
  const fieldset = page.locator(`[data-question="${i}"] fieldset`);
  const choice = fieldset.locator('input[type="radio"], input[type="checkbox"]').first();
  if (await choice.count()) await choice.check();
  else for (const select of await fieldset.locator('select').all()) await select.selectOption({ index: 1 });
}

/** The questions the page shows as answered. */
async function answeredOnPage(page: Page): Promise<number[]> {
  return page.locator('[data-question]').evaluateAll((holders) =>
    holders
      .filter((h) => h.querySelector('input:checked') || [...h.querySelectorAll('select')].some((s) => (s as HTMLSelectElement).value !== ''))
      .map((h) => Number((h as HTMLElement).dataset.question)),
  );
}

const draftCount = async (attempt: number) => Number((await db.execute({ sql: 'SELECT count(*) AS n FROM quiz_drafts WHERE attempt_id = ?', args: [attempt] })).rows[0]!.n);
const attemptRow = async (attempt: number) => (await db.execute({ sql: 'SELECT submitted_at, passed, late, deadline_at FROM quiz_attempts WHERE id = ?', args: [attempt] })).rows[0]!;

const SAVED = /^Guardado \d{1,2}:\d{2}\s?[ap]\.\s?m\. \((hora de [^,]+, UTC[−+]\d+|UTC)\)$/u;

test('five answers survive closing the page and a kill -9 of the server; "Guardado" is announced once', async ({ browser }) => {
  const context = await contextFor(browser, learners[0]!);
  let page = await context.newPage();
  const attempt = await startQuiz(page);
  const announce = page.locator('[data-saved-announce]');
  await expect(announce).toHaveText('');
  for (let i = 0; i < 5; i++) await answerSomehow(page, i);
  // The time in the learner's country's zone, which it names (src/i18n/format.ts): "Guardado 9:18 a.m. (hora de Honduras, UTC−6)".
  await expect(page.locator('[data-saved-text]')).toHaveText(SAVED);
  await expect(announce).toHaveText(SAVED);
  await expect.poll(() => draftCount(attempt)).toBe(5);
  // Announced once: later saves change the visible time, not the live region.
  const first = await announce.textContent();
  await answerSomehow(page, 5);
  await expect.poll(() => draftCount(attempt)).toBe(6);
  await expect(announce).toHaveText(first!);
  await db.execute({ sql: 'DELETE FROM quiz_drafts WHERE attempt_id = ? AND question = 5', args: [attempt] });
  await page.close();

  // Reopened (a new page, as on another device): the five answers are there.
  page = await context.newPage();
  await page.goto(QUIZ);
  expect(await answeredOnPage(page)).toEqual([0, 1, 2, 3, 4]);
  await expect(page.locator('[data-saved-text]')).toContainText('Guardado');
  await expectNoAxeViolations(page, 'quiz with saved answers');

  // The server process is killed and started again on the same database.
  await instance.kill9();
  await instance.start();
  await page.goto(QUIZ);
  expect(await answeredOnPage(page)).toEqual([0, 1, 2, 3, 4]);
  await context.close();
});

test('when time runs out, the attempt is graded on the saved answers; viewing the quiz writes nothing', async ({ browser }) => {
  const context = await contextFor(browser, learners[1]!);
  const page = await context.newPage();
  const attempt = await startQuiz(page);
  await answerQuizCorrectly(page, COURSE, 'es');
  await expect.poll(() => draftCount(attempt)).toBe(15);
  // A short time limit, as a fixture: the deadline passed two minutes ago (beyond the 30 s grace).
  await db.execute({ sql: 'UPDATE quiz_attempts SET deadline_at = ? WHERE id = ?', args: [Date.now() - 120_000, attempt] });
  await page.goto(QUIZ);
  await expect(page.locator('.alert.warning')).toContainText('Se acabó el tiempo de este intento');
  expect((await attemptRow(attempt)).submitted_at).toBeNull();
  await expectNoAxeViolations(page, 'quiz timed out');
  await page.getByRole('button', { name: 'Ver el resultado' }).click();
  await expect(page.getByRole('status').filter({ hasText: '¡Aprobó!' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('respuestas guardadas');
  expect(await attemptRow(attempt)).toMatchObject({ passed: 1, late: 1 });
  await context.close();
});

test('without JavaScript, "Guardar" saves the page of questions and returns to the same place', async ({ browser }) => {
  const context = await contextFor(browser, learners[2]!, { javaScriptEnabled: false });
  const page = await context.newPage();
  const attempt = await startQuiz(page);
  for (let i = 5; i < 10; i++) await answerSomehow(page, i);
  await page.locator('#qgroup-2').getByRole('button', { name: 'Guardar' }).click();
  await expect(page).toHaveURL(new RegExp(`${QUIZ}#qgroup-2$`));
  expect(await answeredOnPage(page)).toEqual([5, 6, 7, 8, 9]);
  await expect(page.locator('[data-saved-text]')).toContainText('Guardado');
  expect(await draftCount(attempt)).toBe(5);
  // Submitting without JavaScript still works, and counts the saved answers.
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page).toHaveURL(new RegExp(`${QUIZ}/${attempt}$`));
  await context.close();
});

test('a network error on submit shows a retry message and keeps the answers; submitting twice is harmless', async ({ browser }) => {
  const learner = learners[3]!;
  const context = await contextFor(browser, learner);
  const page = await context.newPage();
  const attempt = await startQuiz(page);
  await answerQuizCorrectly(page, COURSE, 'es');
  await expect.poll(() => draftCount(attempt)).toBe(15);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('alert')).toContainText('No se pudo enviar');
  expect(await answeredOnPage(page)).toHaveLength(15);
  expect((await attemptRow(attempt)).submitted_at).toBeNull();
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page).toHaveURL(new RegExp(`${QUIZ}/${attempt}$`));
  await expect(page.getByRole('status').filter({ hasText: '¡Aprobó!' })).toBeVisible();
  // The same submission again (a double click, a retried request): the stored result, nothing graded twice.
  const again = await postAction(instance, 'learning.submitQuiz', learner.token, { course: COURSE, attempt: String(attempt) });
  expect(again.status).toBe(200);
  const rows = await db.execute({ sql: 'SELECT count(*) AS n FROM quiz_responses WHERE attempt_id = ?', args: [attempt] });
  expect(Number(rows.rows[0]!.n)).toBe(15);
  await context.close();
});

test('extra time granted by the committee moves the deadline and the countdown of the open attempt', async ({ browser }) => {
  const learner = learners[4]!;
  const learnerContext = await contextFor(browser, learner);
  const page = await learnerContext.newPage();
  const attempt = await startQuiz(page);
  await expect(page.getByRole('timer')).toHaveText(/^(30:00|29:[0-5]\d)$/);

  const committee = await browser.newContext({ baseURL: instance.origin });
  const admin = await committee.newPage();
  await signIn(admin, 'comite.hn@demo.capacita.test');
  await admin.goto(`/es/admin/people/${learner.id}`);
  await expectNoAxeViolations(admin, 'person with extra time form');
  await admin.getByLabel('Curso', { exact: true }).selectOption(COURSE);
  await admin.getByLabel('Minutos adicionales').fill('15');
  await admin.getByRole('button', { name: 'Guardar el tiempo adicional' }).click();
  await expect(admin.getByRole('status')).toBeVisible();
  await expect(admin.locator('main')).toContainText('15 min adicionales');
  // The same form posted without JavaScript with minutes out of range: refused with a 400 and its message, nothing saved.
  const refused = await admin.request.post(`/es/admin/people/${learner.id}?_action=learning.grantExtraTime`, { form: { user: String(learner.id), course: COURSE, minutes: '100000' }, headers: { origin: instance.origin } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('15 min adicionales');
  const audit = await db.execute({ sql: "SELECT actor_id FROM audit_log WHERE action = 'learning.quiz.extraTime' AND target_id = ?", args: [String(learner.id)] });
  expect(audit.rows).toHaveLength(1);
  await committee.close();

  await page.reload();
  await expect(page.getByRole('timer')).toHaveText(/^(45:00|44:[0-5]\d)$/);
  const row = await attemptRow(attempt);
  expect(Number(row.deadline_at) - Number((await db.execute({ sql: 'SELECT started_at FROM quiz_attempts WHERE id = ?', args: [attempt] })).rows[0]!.started_at)).toBe(45 * 60_000);
  await learnerContext.close();
});

test('answering an open attempt from the personal-data download alone does not pass', async ({ browser }) => {
  const learner = learners[5]!;
  const context = await contextFor(browser, learner);
  const page = await context.newPage();
  const attempt = await startQuiz(page);
  const download = await page.request.get('/es/account/data.json');
  expect(download.status()).toBe(200);
  const text = await download.text();
  expect(text).not.toContain('"paper"');
  expect(text).not.toContain('"options"');
  // An attacker's best use of it: wherever an attempt's paper shows, authors' order is the key (the right option is
  // usually written first, ordering items in order, matching pairs share an id).
  const data = JSON.parse(text) as { quizAttempts: { paper?: { questions: { options?: string[]; rights?: string[] }[] } }[] };
  const fields: Record<string, string> = { course: COURSE, attempt: String(attempt) };
  data.quizAttempts.find((a) => a.paper)?.paper!.questions.forEach((entry, i) => {
    const options = entry.options ?? [];
    const sorted = [...options].sort();
    if (entry.rights) options.forEach((id, k) => (fields[`q${i}.${k}`] = String(entry.rights!.indexOf(id))));
    else if (options.length === 0) fields[`q${i}`] = 'true';
    else {
      fields[`q${i}`] = String(options.indexOf(sorted[0]!));
      options.forEach((id, k) => (fields[`q${i}.${k}`] = String(sorted.indexOf(id) + 1)));
    }
  });
  expect((await postAction(instance, 'learning.submitQuiz', learner.token, fields)).status).toBe(200);
  expect((await attemptRow(attempt)).passed).toBe(0);
  await context.close();
});
