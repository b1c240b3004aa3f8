// Required activities work without JavaScript (issue 16.2): with scripts off, a new official goes through the basic
// course — the required own-type activity answered in its server-rendered form, graded on the server — passes the
// quiz and gets the certificate. With scripts on, the player replaces the form.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y';
import { enrol, passQuiz, readManifest, register, requiredActivities, UI } from './helpers/course';

const COURSE = 'basico-fundamentos';

type ClassifyContent = { categories: { id: string; label: string }[]; cards: { text: string; category: string }[] };
type TermMatchContent = { pairs: { term: string; definition: string }[] };
type ScenarioContent = { choices: { text: string; correct: boolean }[] };

/** Answers the form of one of our types right, from the content files (the page never says which answer is right). */
async function answerForm(page: Page, id: string, { wrongFirst = false } = {}): Promise<void> {
  const form = page.locator(`section[data-h5p-id="${id}"] form.h5p-form`);
  const { mainLibrary } = JSON.parse(readFileSync(`content/h5p/${id}/h5p.json`, 'utf8')) as { mainLibrary: string };
  const content = JSON.parse(readFileSync(`content/h5p/${id}/content/content.json`, 'utf8')) as unknown;
  let items = 0;
  let wrong = 0;
  if (mainLibrary === 'Capacita.Classify') {
    const { categories, cards } = content as ClassifyContent;
    items = cards.length;
    for (const [i, card] of cards.entries()) {
      const right = categories.find((c) => c.id === card.category)!.label;
      const label = wrongFirst && i === 0 ? categories.find((c) => c.id !== card.category)!.label : right;
      if (label !== right) wrong++;
      await form.getByRole('group', { name: card.text }).getByRole('radio', { name: label, exact: true }).check();
    }
  } else if (mainLibrary === 'Capacita.TermMatch') {
    const { pairs } = content as TermMatchContent;
    items = pairs.length;
    for (const pair of pairs) await form.getByLabel(pair.definition, { exact: true }).selectOption({ label: pair.term });
  } else {
    items = 1;
    await form.getByRole('radio', { name: (content as ScenarioContent).choices.find((c) => c.correct)!.text, exact: true }).check();
  }
  await form.getByRole('button', { name: UI.es.h5pCheck }).click();
  const score = items - wrong;
  await expect(page.locator(`section[data-h5p-id="${id}"] form.h5p-form`).getByRole('status')).toHaveText(`${score} de ${items} respuestas correctas.`);
  await expect(page.locator(`section[data-h5p-id="${id}"] .h5p-activity__done`)).toBeVisible();
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an official completes the basic course, its required activity answered in a plain form, and earns the certificate', async ({ page }) => {
    test.setTimeout(240_000);
    const unique = `${Date.now()}`;
    await register(page, { locale: 'es', kind: 'official', name: 'Marta Sin Script', email: `sin.script.${unique}@migracion.example.org`, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
    await enrol(page, COURSE, 'es');
    const manifest = readManifest(COURSE);
    let answered = 0;
    for (const [i, lesson] of manifest.lessons.entries()) {
      await page.goto(`/es/courses/${COURSE}/${lesson}`);
      for (const [n, id] of requiredActivities(COURSE, 'es', lesson).entries()) {
        await page.getByRole('button', { name: UI.es.markDone }).click();
        await expect(page.getByRole('alert')).toContainText(UI.es.activitiesPending);
        // A wrong card still finishes the activity (practice, as with the player), and the explanation says which is right.
        await answerForm(page, id, { wrongFirst: n === 0 });
        if (n === 0 && id.includes('clasificar')) await expect(page.locator(`section[data-h5p-id="${id}"] form.h5p-form`)).toContainText('Respuesta correcta:');
        answered++;
      }
      await page.getByRole('button', { name: UI.es.markDone }).click();
      const next = manifest.lessons[i + 1];
      await expect(page).toHaveURL(next ? new RegExp(`/es/courses/${COURSE}/${next}$`) : new RegExp(`/es/courses/${COURSE}/quiz$`));
    }
    expect(answered).toBeGreaterThan(0);
    await passQuiz(page, COURSE, 'es');
  });

  test('signed out, the form shows the activity and asks to sign in; a forged answer is refused', async ({ page }) => {
    await page.goto('/es/activities/preview?ids=demo-scenario-es');
    const form = page.locator('section[data-h5p-id="demo-scenario-es"] form.h5p-form');
    await expect(form.getByRole('radio').first()).toBeVisible();
    await expect(form).toContainText('Inicie sesión para responder');
    await expect(form.getByRole('button', { name: UI.es.h5pCheck })).toHaveCount(0);
    const forged = await page.request.post('/es/activities/preview?ids=demo-scenario-es&_action=activities.answer&activity=demo-scenario-es', {
      form: { activity: 'demo-scenario-es', choice: '0' },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(forged.status()).toBe(401);
  });
});

test('the form passes axe before and after answering (player held back: axe needs scripts)', async ({ page }) => {
  await page.route('**/h5p-player/**', (route) => route.abort());
  await page.goto('/es/activities/preview?ids=demo-scenario-es');
  await expect(page.locator('form.h5p-form')).toBeVisible();
  await expectNoAxeViolations(page, 'the form of an activity, signed out');

  // A person of its own: the demo official's Básico progress belongs to h5p.spec.ts, which runs on the same server.
  await register(page, { locale: 'es', kind: 'official', name: 'Rosa Formulario', email: `axe.form.${Date.now()}@migracion.example.org`, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
  await enrol(page, COURSE, 'es');
  const lesson = readManifest(COURSE).lessons.find((slug) => requiredActivities(COURSE, 'es', slug).length > 0)!;
  await page.goto(`/es/courses/${COURSE}/${lesson}`);
  await answerForm(page, requiredActivities(COURSE, 'es', lesson)[0]!, { wrongFirst: true });
  await expectNoAxeViolations(page, 'a graded form');
});

test('with JavaScript the player replaces the form', async ({ page }) => {
  await page.goto('/es/activities/preview?ids=demo-classify-es');
  const section = page.locator('section[data-h5p-id="demo-classify-es"]');
  await section.scrollIntoViewIfNeeded();
  await expect(section).toHaveAttribute('data-h5p-state', 'ready');
  await expect(section.locator('form.h5p-form')).toHaveCount(0);
});
