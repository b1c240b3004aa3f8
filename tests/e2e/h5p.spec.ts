// Interactive activities in a lesson page: two activities of our own types, results recorded on the server, state
// resumed after a reload, a required activity left undone keeps the lesson incomplete, no H5P bytes on pages without
// activities, a missing library file ends in a translated error, and nothing breaks the Content-Security-Policy.
// Results are kept only for activities of lessons in a course the learner is enrolled in, within quotas.
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type Request } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';

const PASSWORD = 'capacita-demo-2026';
// Two activities of the basic course (the learner enrols first): results are recorded only for a course one is in.
const LESSON = '/es/activities/preview?ids=bas-clasificar-es,bas-referencia-es&required=bas-clasificar-es';

type ClassifyContent = { categories: { id: string; label: string }[]; cards: { text: string; category: string }[] };
const classifyContent = JSON.parse(readFileSync('content/h5p/bas-clasificar-es/content/content.json', 'utf8')) as ClassifyContent;
const CLASSIFY: Record<string, string> = Object.fromEntries(classifyContent.cards.map((card) => [card.text, classifyContent.categories.find((c) => c.id === card.category)!.label]));
const SCENARIO_RIGHT = (JSON.parse(readFileSync('content/h5p/bas-referencia-es/content/content.json', 'utf8')) as { choices: { text: string; correct: boolean }[] }).choices.find((c) => c.correct)!.text;

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/es/login');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: 'Entrar' }).click()]);
}

function isH5PRequest(request: Request): boolean {
  const path = new URL(request.url()).pathname;
  return path.startsWith('/h5p/') || path.startsWith('/h5p-player/') || path.startsWith('/api/h5p-state/') || path === '/api/xapi';
}

/** Collects CSP violations reported to the console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

const activity = (page: Page, id: string) => page.locator(`section[data-h5p-id="${id}"]`);

async function enrolInBasicCourse(page: Page): Promise<void> {
  await page.goto('/es/courses/basico-fundamentos');
  const enrol = page.getByRole('button', { name: 'Inscribirme' });
  if (await enrol.isVisible()) await enrol.click();
}

test('a lesson with two activities records results, resumes state and counts the required one', async ({ page }) => {
  const csp = watchCsp(page);
  await signIn(page, 'oficial@demo.capacita.test');
  await enrolInBasicCourse(page);

  await page.goto(LESSON);
  await expect(page.locator('[data-required-done]')).toHaveAttribute('data-required-done', 'false');
  const classify = activity(page, 'bas-clasificar-es');
  const scenario = activity(page, 'bas-referencia-es');
  await expect(classify).toHaveAttribute('data-h5p-state', 'ready');
  await scenario.scrollIntoViewIfNeeded();
  await expect(scenario).toHaveAttribute('data-h5p-state', 'ready');

  // The optional activity first: the lesson stays incomplete while the required one is undone.
  await scenario.getByRole('radio', { name: SCENARIO_RIGHT, exact: true }).check();
  const scenarioPosts = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await scenario.getByRole('button', { name: 'Comprobar' }).click();
  expect((await scenarioPosts).status()).toBe(201);
  await expect(scenario.getByRole('status').filter({ hasText: 'Buena decisión.' })).toBeVisible();
  await expect(scenario.locator('.h5p-activity__done')).toBeVisible();

  // Half of the required activity, then a reload: the answers given are still there.
  const cards = Object.entries(CLASSIFY);
  for (const [text, category] of cards.slice(0, 2)) {
    const saved = page.waitForResponse((r) => r.url().includes('/api/h5p-state/bas-clasificar-es') && r.request().method() === 'POST');
    await classify.getByRole('group', { name: text }).getByRole('radio', { name: category }).check();
    expect((await saved).status()).toBe(204);
  }
  await page.reload();
  await expect(page.locator('[data-required-done]')).toHaveAttribute('data-required-done', 'false');
  await expect(classify).toHaveAttribute('data-h5p-state', 'ready');
  for (const [text, category] of cards.slice(0, 2)) {
    await expect(classify.getByRole('group', { name: text }).getByRole('radio', { name: category })).toBeChecked();
  }
  await expect(activity(page, 'bas-referencia-es')).toHaveAttribute('data-h5p-done', 'true');

  // Finish it with the keyboard only: Tab into a card's radio group, arrows to choose.
  for (const [text, category] of cards.slice(2)) {
    const group = classify.getByRole('group', { name: text });
    await group.getByRole('radio').first().focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < classifyContent.categories.length && !(await group.getByRole('radio', { name: category }).isChecked()); i += 1) await page.keyboard.press('ArrowRight');
    await expect(group.getByRole('radio', { name: category })).toBeChecked();
  }
  const classifyPost = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await classify.getByRole('button', { name: 'Comprobar' }).focus();
  await page.keyboard.press('Enter');
  const posted = await classifyPost;
  expect(posted.status()).toBe(201);
  expect(posted.request().postDataJSON().statement.result.score).toMatchObject({ raw: cards.length, max: cards.length });
  // Filed under the course the activity belongs to, though the preview page names none.
  expect(posted.request().postDataJSON().courseId).toBeUndefined();
  await expect(classify.getByText(`Puntuación: ${cards.length} de ${cards.length}.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Intentar de nuevo' }).first()).toBeFocused();

  await page.reload();
  await expect(page.locator('[data-required-done]')).toHaveAttribute('data-required-done', 'true');
  await expect(activity(page, 'bas-clasificar-es')).toHaveAttribute('data-h5p-done', 'true');
  await expect(activity(page, 'bas-clasificar-es')).toHaveAttribute('data-h5p-state', 'ready');
  await expect(activity(page, 'bas-clasificar-es').getByText(`Puntuación: ${cards.length} de ${cards.length}.`)).toBeVisible();
  expect(csp).toEqual([]);
});

test('the coordination downloads the recorded statements as xAPI 1.0.3', async ({ page, browser }) => {
  await signIn(page, 'coordinacion@demo.capacita.test');
  const response = await page.request.get('/api/xapi/export?country=HN');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toContain('attachment');
  const statements = (await response.json()) as Array<{ version: string; verb: { id: string }; object: { id: string }; actor: { account: { name: string } }; context?: { contextActivities: { grouping: { id: string }[] } } }>;
  const ids = new Set(statements.map((s) => s.object.id.split('/').pop()));
  expect([...ids]).toEqual(expect.arrayContaining(['bas-clasificar-es', 'bas-referencia-es']));
  expect(statements.filter((s) => s.object.id.endsWith('/bas-clasificar-es')).every((s) => s.context?.contextActivities.grouping[0]!.id.endsWith('/courses/basico-fundamentos'))).toBe(true);
  expect(statements.every((s) => s.version === '1.0.3' && /\/(answered|completed)$/.test(s.verb.id))).toBe(true);
  expect(JSON.stringify(statements)).not.toContain('@');

  const learner = await (await browser.newContext()).newPage();
  await signIn(learner, 'oficial@demo.capacita.test');
  expect((await learner.request.get('/api/xapi/export')).status()).toBe(403);
  expect((await page.request.get('/api/xapi/export?from=2020-13-01')).status()).toBe(400);
});

test('a lesson without activities loads no H5P file', async ({ page }) => {
  await signIn(page, 'oficial@demo.capacita.test');
  await page.goto('/es/courses/basico-fundamentos');
  const enrol = page.getByRole('button', { name: 'Inscribirme' });
  if (await enrol.isVisible()) await enrol.click();
  const requests: string[] = [];
  page.on('request', (request) => {
    if (isH5PRequest(request) || /h5p/i.test(request.url())) requests.push(request.url());
  });
  for (const path of ['/es/courses/basico-fundamentos/que-es-la-trata', '/es/', '/es/activities/preview']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  await page.goto('/es/courses/basico-fundamentos/que-es-la-trata');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/que-es-la-trata$/);
  expect(requests).toEqual([]);
});

test('each activity loads only when it scrolls into view', async ({ page }) => {
  // Far below the fold: a tall block before the last activity, in place before the page's scripts run.
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      const spacer = document.createElement('div');
      spacer.style.height = '4000px';
      document.querySelector('section[data-h5p-id="demo-classify-es"]')?.before(spacer);
    });
  });
  const requested: string[] = [];
  page.on('request', (request) => isH5PRequest(request) && requested.push(new URL(request.url()).pathname));
  await page.goto('/es/activities/preview?ids=demo-termmatch-en,demo-scenario-es,demo-classify-es');
  const termMatch = activity(page, 'demo-termmatch-en');
  await expect(termMatch).toHaveAttribute('data-h5p-state', 'ready');
  await page.waitForLoadState('networkidle');
  expect(requested).toContain('/h5p/libraries/Capacita.TermMatch-1.0/term-match.js');
  expect(requested).not.toContain('/h5p/demo-classify-es/h5p.json');
  expect(requested).not.toContain('/h5p/libraries/Capacita.Classify-1.0/classify.js');

  // An English package shows its own labels; the study cards are real buttons.
  const card = termMatch.getByRole('button', { name: /Referral/ });
  await card.click();
  await expect(card).toHaveAttribute('aria-expanded', 'true');
  const definition = page.locator(`#${await card.getAttribute('aria-controls')}`);
  await expect(definition).toBeVisible();
  await expect(definition).toHaveText(/^Sending a possible victim to the competent institution/);
  await termMatch.getByRole('button', { name: 'Start matching' }).click();
  await expect(termMatch.getByRole('heading', { name: '2. Match each definition with its term' })).toBeFocused();
  await expect(definition).toBeHidden();

  const classify = activity(page, 'demo-classify-es');
  await classify.scrollIntoViewIfNeeded();
  await expect(classify).toHaveAttribute('data-h5p-state', 'ready');
  expect(requested).toContain('/h5p/libraries/Capacita.Classify-1.0/classify.js');
});

test('a missing library file shows a translated error with a way to try again', async ({ page }) => {
  await page.route('**/h5p/libraries/Capacita.Classify-1.0/classify.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/es/activities/preview?ids=demo-classify-es,demo-nothing-here');
  const classify = activity(page, 'demo-classify-es');
  await expect(classify.getByRole('status')).toContainText('No se pudo cargar esta actividad', { timeout: 15_000 });
  await expect(classify).toHaveAttribute('data-h5p-state', 'error');
  await expect(page.getByRole('alert').filter({ hasText: 'No existe la actividad «demo-nothing-here»' })).toBeVisible();

  await page.unroute('**/h5p/libraries/Capacita.Classify-1.0/classify.js');
  await classify.getByRole('button', { name: 'Intentar de nuevo' }).click();
  await expect(classify).toHaveAttribute('data-h5p-state', 'ready');
});

test('our three content types pass axe, before and after answering, and TermMatch works with its lists', async ({ page }) => {
  await signIn(page, 'periodista@demo.capacita.test');
  await page.goto('/es/activities/preview?ids=demo-scenario-es,demo-classify-es,demo-termmatch-en');
  for (const id of ['demo-scenario-es', 'demo-classify-es', 'demo-termmatch-en']) {
    await activity(page, id).scrollIntoViewIfNeeded();
    await expect(activity(page, id)).toHaveAttribute('data-h5p-state', 'ready');
  }
  await expectNoAxeViolations(page, 'activities before answering');

  const termMatch = activity(page, 'demo-termmatch-en');
  await termMatch.getByRole('button', { name: 'Start matching' }).click();
  await termMatch.getByRole('button', { name: 'Check' }).click();
  await expect(termMatch.getByRole('status').filter({ hasText: '3 definition(s) still to match.' })).toBeVisible();
  const answers = {
    'Recruitment, transport, transfer': 'Trafficking in persons',
    'Procuring the irregular entry': 'Smuggling of migrants',
    'Sending a possible victim': 'Smuggling of migrants', // one wrong on purpose
  };
  for (const [definition, term] of Object.entries(answers)) await termMatch.getByLabel(new RegExp(`^${definition}`)).selectOption({ label: term });
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/answered'));
  await termMatch.getByRole('button', { name: 'Check' }).click();
  const statement = (await posted).request().postDataJSON().statement;
  expect(statement.result).toMatchObject({ score: { raw: 2, max: 3 }, success: false });
  expect(statement.object.definition.interactionType).toBe('matching');
  await expect(termMatch.getByText('Score: 2 out of 3.')).toBeVisible();
  await expect(termMatch.getByText('Right term: Referral.')).toBeVisible();

  await activity(page, 'demo-scenario-es').getByRole('button', { name: 'Comprobar' }).click();
  await expect(activity(page, 'demo-scenario-es').getByText('Elija una opción antes de comprobar.')).toBeVisible();
  await expectNoAxeViolations(page, 'activities after answering');
});

test('the xAPI intake refuses cross-site, anonymous, oversized and malformed posts', async ({ page, playwright, baseURL }) => {
  const statement = { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, result: { score: { raw: 1, max: 1 } } };
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.post('/api/xapi', { data: { activityId: 'demo-classify-es', statement } })).status()).toBe(401);

  await signIn(page, 'oficial@demo.capacita.test');
  await enrolInBasicCourse(page);
  const post = (data: unknown, headers: Record<string, string> = {}) => page.request.post('/api/xapi', { data: typeof data === 'string' ? data : JSON.stringify(data), headers: { 'Content-Type': 'application/json', ...headers } });
  expect((await post({ activityId: 'demo-classify-es', statement }, { Origin: 'https://evil.test' })).status()).toBe(403);
  // A form-like content type: Astro's origin check (403) or ours (415) refuses it.
  expect([403, 415]).toContain((await post({ activityId: 'demo-classify-es', statement }, { 'Content-Type': 'text/plain' })).status());
  expect((await post({ activityId: 'demo-classify-es', statement, padding: 'x'.repeat(40_000) })).status()).toBe(413);
  expect((await post('{ not json')).status()).toBe(400);
  expect((await post({ activityId: 'demo-classify-es', statement: { ...statement, result: { score: { raw: 5, max: 1 } } } })).status()).toBe(400);
  expect((await post({ activityId: 'bas-clasificar-es', statement })).status()).toBe(201);
  expect((await page.request.post('/api/h5p-state/bas-clasificar-es', { data: { state: '{' } })).status()).toBe(400);
});

test('a real lesson runs its activity, tagged with the course, without breaking the CSP', async ({ page }) => {
  const csp = watchCsp(page);
  await signIn(page, 'oficial@demo.capacita.test');
  await enrolInBasicCourse(page);
  // The English lesson: the Spanish activity was completed in the first test.
  await page.goto('/en/courses/basico-fundamentos/trata-y-trafico');
  const section = activity(page, 'bas-clasificar-en');
  await section.scrollIntoViewIfNeeded();
  await expect(section).toHaveAttribute('data-h5p-state', 'ready');
  await expect(section).toHaveAttribute('data-h5p-required', 'true');

  // The test (in Node) reads the right answers from the package; the learner answers them all.
  const content = JSON.parse(readFileSync('content/h5p/bas-clasificar-en/content/content.json', 'utf8')) as {
    categories: { id: string; label: string }[];
    cards: { text: string; category: string }[];
  };
  for (const card of content.cards) {
    const label = content.categories.find((c) => c.id === card.category)!.label;
    await section.getByRole('group', { name: card.text }).getByRole('radio', { name: label, exact: true }).check();
  }
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await section.getByRole('button', { name: 'Check' }).click();
  const request = (await posted).request().postDataJSON();
  expect(request).toMatchObject({ activityId: 'bas-clasificar-en', courseId: 'basico-fundamentos' });
  expect(request.statement.result.score).toMatchObject({ raw: content.cards.length, max: content.cards.length });
  await expect(section.locator('.h5p-activity__done')).toBeVisible();
  expect(csp).toEqual([]);
});

test('the activity endpoints keep results only for real activities of enrolled courses, within quotas, with translated refusals', async ({ page }) => {
  await signIn(page, 'oficial@demo.capacita.test');
  await enrolInBasicCourse(page);
  const completed = { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, result: { score: { raw: 1, max: 1 } } };
  const post = (data: unknown, language = 'es') => page.request.post('/api/xapi', { data, headers: { 'Accept-Language': language } });

  // A forged completion for an activity no lesson shows (installed or not) is not stored.
  for (const activityId of ['demo-classify-es', 'no-such-activity']) {
    const refused = await post({ activityId, courseId: 'basico-fundamentos', statement: completed });
    expect(refused.status()).toBe(404);
    expect(await refused.json()).toMatchObject({ error: 'h5p.activityUnavailable', message: expect.stringContaining('no forma parte de ninguna lección') });
    expect((await page.request.get(`/api/h5p-state/${activityId}`)).status()).toBe(404);
    expect((await page.request.post(`/api/h5p-state/${activityId}`, { data: { state: '{}' } })).status()).toBe(404);
  }
  // An activity of a course the learner is not enrolled in.
  const notEnrolled = await post({ activityId: 'med-terminos-es', statement: completed }, 'en');
  expect(notEnrolled.status()).toBe(403);
  expect((await notEnrolled.json()).message).toBe('Enrol in the course of this activity to save your progress and results.');
  expect((await page.request.post('/api/h5p-state/med-terminos-es', { data: { state: '{}' } })).status()).toBe(403);

  // Saved state: a few kB is fine, a big one is refused with the limit in the message, and the last good one stays.
  const good = JSON.stringify({ answers: 'x'.repeat(4000) });
  expect((await page.request.post('/api/h5p-state/bas-indicadores-es', { data: { state: good } })).status()).toBe(204);
  const big = await page.request.post('/api/h5p-state/bas-indicadores-es', { data: { state: JSON.stringify({ answers: 'x'.repeat(20_000) }) } });
  expect(big.status()).toBe(413);
  expect((await big.json()).message).toBe('El avance de esta actividad es demasiado grande para guardarlo (máximo 16 KB).');
  expect((await (await page.request.get('/api/h5p-state/bas-indicadores-es')).json()).state).toBe(good);

  // Statements: a bounded number per learner and activity, then 429 with a translated reason.
  const answered = { verb: { id: 'http://adlnet.gov/expapi/verbs/answered' }, result: { score: { raw: 0, max: 1 }, response: 'y'.repeat(4000) } };
  let status = 201;
  let posts = 0;
  while (status === 201 && posts < 1000) {
    status = (await post({ activityId: 'bas-indicadores-es', statement: answered })).status();
    posts += 1;
  }
  expect(status).toBe(429);
  expect(posts).toBeGreaterThan(1);
  expect(posts).toBeLessThan(1000);
  const over = await post({ activityId: 'bas-indicadores-es', statement: answered }, 'en');
  expect(over.status()).toBe(429);
  expect((await over.json()).message).toMatch(/^\d+ results of this activity have already been saved: no more are kept\.$/);
  // Other activities are unaffected.
  expect((await post({ activityId: 'bas-clasificar-es', statement: answered })).status()).toBe(201);
});
