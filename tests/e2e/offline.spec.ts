// Reading at a border post (issue 16.1): a learner saves a course on the device, loses the connection, reads two
// lessons, answers a knowledge check and an activity, and the progress reaches the server once when the connection
// returns. Pages of other people and of committees are never kept; signing out forgets what was saved.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from './helpers/fixture.ts';
import { enrol, readManifest, register, UI } from './helpers/course.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { signIn, signOut } from './helpers/session.ts';

const COURSE = 'basico-fundamentos';
const [FIRST, SECOND] = readManifest(COURSE).lessons as [string, string];
const ACTIVITY = 'bas-clasificar-es';
const shots = 'test-results-offline';

/** Every URL kept in the device's caches, by cache. */
async function cachedUrls(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
    return out;
  });
}

/** The progress queued on the device (the worker's IndexedDB store). */
async function queued(page: Page): Promise<unknown[]> {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('capacita-offline');
        open.onsuccess = () => {
          const request = open.result.transaction('queue', 'readonly').objectStore('queue').getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(request.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

async function classifyCorrectly(page: Page): Promise<void> {
  const section = page.locator(`section[data-h5p-id="${ACTIVITY}"]`);
  await section.scrollIntoViewIfNeeded();
  await expect(section).toHaveAttribute('data-h5p-state', 'ready', { timeout: 30_000 });
  const { categories, cards } = JSON.parse(readFileSync(`content/h5p/${ACTIVITY}/content/content.json`, 'utf8')) as {
    categories: { id: string; label: string }[];
    cards: { text: string; category: string }[];
  };
  for (const card of cards) {
    const label = categories.find((c) => c.id === card.category)!.label;
    await section.getByRole('group', { name: card.text }).getByRole('radio', { name: label, exact: true }).check();
  }
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await section.getByRole('button', { name: UI.es.h5pCheck }).click();
  // Answered by the worker: kept on the device until the connection returns.
  expect((await posted).status()).toBe(202);
  await expect(section.locator('.h5p-activity__done')).toBeVisible();
}

// The config blocks service workers for every other spec (page.route cannot see a worker's requests); here it runs.
test.use({ serviceWorkers: 'allow' });

test('a course saved on the device is read and worked through offline; the progress syncs once', async ({ page, context }) => {
  test.setTimeout(240_000);
  const email = `sin.conexion.${Date.now()}@migracion.example.org`;
  await register(page, { locale: 'es', kind: 'official', name: 'Julia Frontera', email, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
  await enrol(page, COURSE, 'es');

  await page.goto(`/es/courses/${COURSE}`);
  const control = page.getByRole('region', { name: 'Disponible sin conexión' });
  await expect(control).toBeVisible();
  await expect(control).toContainText(/Tamaño aproximado: [\d.,]+ (KB|MB)/);
  await control.getByRole('button', { name: 'Guardar para leer sin conexión' }).click();
  await expect(control.locator('[data-offline-status]')).toContainText(/Guardado en este dispositivo \([\d.,]+ (KB|MB)\)/, { timeout: 90_000 });
  await expect(control.getByRole('button', { name: 'Quitar de este dispositivo' })).toBeVisible();
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await control.screenshot({ path: `${shots}/offline-control-${width}.png` });
  }

  // Pages a learner may not keep are not kept, whatever was visited: a committee page answers 403 and stays out.
  await page.goto('/es/dashboard');
  await page.goto('/es/account');

  await context.setOffline(true);
  await page.goto(`/es/courses/${COURSE}/${FIRST}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('#offline-banner')).toContainText('Sin conexión');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/offline-banner-${width}.png` });
  }

  // The knowledge check: kept, answered when the connection returns.
  const check = page.locator('#kc-bas-kc01');
  await check.getByRole('radio').first().check();
  await check.getByRole('button', { name: 'Comprobar' }).click();
  await expect(page.locator('#offline-banner')).toContainText('se enviará cuando vuelva la conexión');
  await page.getByRole('button', { name: UI.es.markDone }).click();
  await expect(page).toHaveURL(new RegExp(`/es/courses/${COURSE}/${SECOND}#offline-queued$`));
  await expect(page.locator('#offline-banner')).toContainText('Guardado en este dispositivo');

  // The second lesson, its required activity played from the saved files, then marked done.
  await classifyCorrectly(page);
  await page.getByRole('button', { name: UI.es.markDone }).click();
  await expect(page.locator('#offline-banner')).toContainText('Guardado en este dispositivo');
  // The knowledge check, the two lessons, and the player's statements (answered, completed).
  const items = (await queued(page)) as { kind: string; action?: string; report?: { statement: { verb: { id: string } } } }[];
  expect(items.filter((i) => i.action === 'learning.markDone')).toHaveLength(2);
  expect(items.filter((i) => i.action === 'learning.practice')).toHaveLength(1);
  expect(items.filter((i) => i.kind === 'xapi' && i.report!.statement.verb.id.endsWith('/completed'))).toHaveLength(1);

  // The final quiz needs a connection, and the offline page says so (and lists what is saved).
  await page.goto(`/es/courses/${COURSE}/quiz`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sin conexión');
  await expect(page.locator('#offline-reason')).toContainText('El examen final necesita conexión');
  await expect(page.getByRole('link', { name: 'Glosario' })).toBeVisible();
  await expectNoAxeViolations(page, 'offline page');
  await page.goto('/es/account');
  await expect(page.locator('#offline-reason')).toContainText('Esta página no está guardada');
  await expect(page.locator('[data-offline-list] a[href$="/' + FIRST + '"]')).toBeVisible();
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/offline-page-${width}.png`, fullPage: true });
  }
  await page.goto('/es/glossary');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glosario');

  // Back online: the page open when the connection returns sends the queue and says so.
  await context.setOffline(false);
  await expect(page.locator('#offline-banner')).toContainText('Se envió el avance que hizo sin conexión', { timeout: 30_000 });
  await expect.poll(() => queued(page).then((q) => q.length)).toBe(0);
  await page.goto(`/es/courses/${COURSE}`);
  await expect(page.locator('.lesson-list li').nth(0)).toContainText('Lección completada');
  await expect(page.locator('.lesson-list li').nth(1)).toContainText('Lección completada');

  // Sent again (a lost answer, a second tab), every item is recognised and nothing counts twice.
  const again = await page.request.post('/api/offline-sync', {
    headers: { 'Content-Type': 'application/json', Origin: new URL(page.url()).origin },
    data: { learner: (items[0] as unknown as { owner: number }).owner, items: (items as unknown as Record<string, unknown>[]).map(({ owner: _owner, ...item }) => item) },
  });
  expect(again.status()).toBe(200);
  const answers = ((await again.json()) as { answers: { outcome: string; repeated: boolean; result?: { correct?: boolean } }[] }).answers;
  expect(answers).toHaveLength(items.length);
  expect(answers.every((a) => a.outcome === 'applied' && a.repeated)).toBe(true);
  const data = (await (await page.request.get('/es/account/data.json')).json()) as { learning?: { lessonProgress: unknown[]; activityResults: { activityId: string; completed: boolean }[] } } & Record<string, unknown>;
  const learning = (data.learning ?? data) as { lessonProgress: unknown[]; activityResults: { activityId: string; completed: boolean }[] };
  expect(learning.lessonProgress).toHaveLength(2);
  expect(learning.activityResults.filter((r) => r.activityId === ACTIVITY)).toEqual([expect.objectContaining({ completed: true })]);

  // Kept: the saved course's pages, glossary, Guía; never the dashboard, the account page or the quiz.
  const kept = (await cachedUrls(page))['capacita-saved'] ?? [];
  expect(kept).toEqual(expect.arrayContaining([`/es/courses/${COURSE}`, `/es/courses/${COURSE}/${FIRST}`, '/es/glossary', '/es/guia']));
  expect(kept.filter((u) => /dashboard|account|admin|quiz|certificates/.test(u))).toEqual([]);

  // Signing out forgets what this learner saved.
  await signOut(page);
  await expect.poll(async () => (await cachedUrls(page))['capacita-saved'] ?? []).toEqual([]);
  expect(Object.values(await cachedUrls(page)).flat().filter((u) => u.startsWith('/es/courses/'))).toEqual([]);

  // A committee member on the same device: their pages are never kept either.
  await signIn(page, 'comite.hn@demo.capacita.test');
  await page.goto('/es/dashboard');
  await page.goto('/es/admin/people');
  await page.goto('/es/guia');
  // Static files (/_astro/ styles and scripts) are everyone's; no page of theirs is kept.
  const afterCommittee = Object.values(await cachedUrls(page)).flat().filter((u) => !u.startsWith('/_astro/'));
  expect(afterCommittee.filter((u) => /dashboard|admin|learning|account/.test(u))).toEqual([]);
  expect((await cachedUrls(page))['capacita-saved'] ?? []).toEqual(['/es/guia']);
  await signOut(page);
});

test('without service workers the control says so; without JavaScript it is absent', async ({ browser }) => {
  const email = `sin.sw.${Date.now()}@migracion.example.org`;
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await register(page, { locale: 'es', kind: 'official', name: 'Pedro Navegador', email, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
  await enrol(page, COURSE, 'es');
  // Playwright's "block" keeps workers from registering; a browser without them lacks the API altogether.
  await page.addInitScript(() => delete (Navigator.prototype as { serviceWorker?: unknown }).serviceWorker);
  await page.goto(`/es/courses/${COURSE}`);
  await expect(page.getByRole('region', { name: 'Disponible sin conexión' })).toContainText('Este navegador no permite guardar cursos');
  await expect(page.getByRole('button', { name: 'Guardar para leer sin conexión' })).toBeHidden();
  const cookies = await context.cookies();
  await context.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  await noScript.addCookies(cookies);
  const plain = await noScript.newPage();
  await plain.goto(`/es/courses/${COURSE}`);
  await expect(plain.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(plain.getByRole('region', { name: 'Disponible sin conexión' })).toHaveCount(0);
  await noScript.close();
});

test('the sync endpoint answers only its learner, same origin, with valid items', async ({ page, request, baseURL }) => {
  const item = { id: '3f0c8f52-6a51-4d2e-9b7a-5c1d2e3f4a5b', kind: 'form', action: 'learning.markDone', lang: 'es', queuedAt: 1, fields: [['course', COURSE], ['lesson', FIRST]] };
  // Signed out: nothing is applied to anybody.
  expect((await request.post('/api/offline-sync', { headers: { Origin: baseURL! }, data: { learner: 1, items: [item] } })).status()).toBe(401);
  const email = `sin.conexion.api.${Date.now()}@migracion.example.org`;
  await register(page, { locale: 'es', kind: 'official', name: 'Elena Puesto', email, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
  const post = (data: unknown, origin = baseURL!) => page.request.post('/api/offline-sync', { headers: { Origin: origin, 'Accept-Language': 'es' }, data });
  // Another account's items are never filed under this one.
  const other = await post({ learner: 999_999, items: [item] });
  expect(other.status()).toBe(409);
  expect((await other.json()).message).toContain('otra cuenta');
  // A cross-site page cannot post them.
  expect((await post({ learner: 1, items: [item] }, 'https://evil.example')).status()).toBe(403);
  expect((await post({ items: 'junk' })).status()).toBe(400);
  // Not enrolled: refused with the reason, in the learner's language.
  const html = await (await page.request.get('/es/learning')).text();
  const learner = Number(html.match(/data-learner="(\d+)"/)![1]);
  const refused = await post({ learner, items: [item, { ...item, id: 'short', action: 'learning.submitQuiz' }] });
  expect(refused.status()).toBe(200);
  expect((await refused.json()).answers).toEqual([
    expect.objectContaining({ id: item.id, outcome: 'rejected', message: 'usted no está inscrito en el curso.' }),
    expect.objectContaining({ id: null, outcome: 'rejected', message: 'el cambio no se pudo leer.' }),
  ]);
});
