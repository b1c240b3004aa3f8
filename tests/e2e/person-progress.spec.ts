// A committee sees the learning of its own country's people (enrolments, lessons done, attempts and scores) on the
// person page; another country's committee gets nothing of it. The learning is written into the instance's database
// by hand, so the figures on the page are known.
import { createClient } from '@libsql/client';
import { expect, test, type Page } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { DEMO_PASSWORD, signIn } from './helpers/session.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

let instance: Instance;
let personId = 0;

test.beforeAll(async () => {
  instance = await createInstance(await freePort());
  const db = createClient({ url: instance.dbUrl });
  const person = (await db.execute("SELECT id, institution_id FROM users WHERE email_key = 'solicitante@demo.capacita.test'")).rows[0]!;
  personId = Number(person.id);
  const day = Date.UTC(2026, 2, 2, 15);
  const lessons = ['a', 'b', 'c', 'd', 'e'];
  const enrolment = await db.execute({
    sql: "INSERT INTO enrolments (user_id, course_id, programme, cycle, country_code, institution_id, enrolled_at, started_at, completed_at, lessons_at_start) VALUES (?, 'basico-fundamentos', 'basico', 1, 'GT', ?, ?, ?, NULL, ?) RETURNING id",
    args: [personId, person.institution_id, day, day, JSON.stringify(lessons)],
  });
  const enrolmentId = Number(enrolment.rows[0]!.id);
  for (const lesson of lessons.slice(0, 3)) await db.execute({ sql: 'INSERT INTO lesson_progress (enrolment_id, lesson, completed_at) VALUES (?, ?, ?)', args: [enrolmentId, lesson, day] });
  await db.execute({
    sql: "INSERT INTO quiz_attempts (enrolment_id, user_id, course_id, paper, started_at, submitted_at, score, max_score, passed, late) VALUES (?, ?, 'basico-fundamentos', '[]', ?, ?, 13, 20, 0, 0)",
    args: [enrolmentId, personId, day, day + 600_000],
  });
  db.close();
  await instance.start();
});
test.afterAll(async () => {
  await instance?.dispose();
});

const signInAt = (page: Page, email: string) => signIn(page, email, DEMO_PASSWORD, 'es', instance.origin);

test('the committee of Guatemala sees a Guatemalan’s enrolments, lessons and scores', async ({ page }, testInfo) => {
  await signInAt(page, 'comite.gt@demo.capacita.test');
  await page.goto(`${instance.origin}/es/admin/people/${personId}`);
  const progress = page.getByTestId('person-progress');
  await expect(progress.getByRole('heading', { name: 'Avance en los cursos' })).toBeVisible();
  const row = progress.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Fundamentos');
  await expect(row).toContainText('3 de 5');
  await expect(row).toContainText('65 %, no aprobado');
  await expectNoAxeViolations(page, 'on the person page');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    // Nothing pushes the page wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: testInfo.outputPath(`person-progress-${width}.png`), fullPage: true });
  }
});

test('the committee of Honduras gets nothing of that person', async ({ page }) => {
  await signInAt(page, 'comite.hn@demo.capacita.test');
  const response = await page.goto(`${instance.origin}/es/admin/people/${personId}`);
  expect([403, 404]).toContain(response?.status());
  await expect(page.getByTestId('person-progress')).toHaveCount(0);
  await expect(page.getByText('3 de 5')).toHaveCount(0);
});
