// Our own content types answered without JavaScript (issue 16.2): the form shows the items without saying which
// answer is right, grading matches the player's (a point per card, per pair, or the one choice), the result goes
// through the xAPI intake's own recorder and completes a required activity, and the content build refuses a
// required activity that is an imported third-party package, naming the lesson.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContentIntegrity } from '../../src/server/content-integrity.ts';
import { activityResultsFor, recordActivityStatement, requiredActivitiesDone } from '../../src/server/h5p/activityResults.ts';
import { activityFields, gradeOwnActivity, ownActivity, ownActivityStatement, type OwnActivity } from '../../src/server/h5p/ownActivityForm.ts';
import { buildStoredStatement, xapiReportSchema } from '../../src/server/h5p/xapiStatement.ts';
import { createTestDatabase } from './helpers/database.ts';
import { FIXTURE_CONTENT } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const ROOT = 'content/h5p';
const content = (id: string) => JSON.parse(readFileSync(join(ROOT, id, 'content', 'content.json'), 'utf8'));
const load = (id: string): OwnActivity => {
  const activity = ownActivity(ROOT, id);
  if (!activity) throw new Error(`${id} is not one of our types`);
  return activity;
};
/** A form submission as the browser sends it. */
const submit = (fields: Record<string, string>) => (name: string) => fields[name] ?? null;

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('the form of our own types', () => {
  it('reads only our types', () => {
    expect(ownActivity(ROOT, 'bas-clasificar-es')?.type).toBe('Capacita.Classify');
    expect(ownActivity(ROOT, 'no-such-package')).toBeNull();
    expect(ownActivity(ROOT, '../libraries')).toBeNull();
  });

  it('Classify: one radio group per card, one point per card in its right category', () => {
    const activity = load('bas-clasificar-es');
    const { cards, categories } = content('bas-clasificar-es') as { cards: { text: string; category: string }[]; categories: { id: string }[] };
    const fields = activityFields(activity);
    expect(fields.items.map((i) => i.label)).toEqual(cards.map((c) => c.text));
    expect(fields.items[0]!.choices.map((c) => c.value)).toEqual(categories.map((c) => c.id));

    const right = Object.fromEntries(cards.map((card, i) => [`card-${i}`, card.category]));
    const allRight = gradeOwnActivity(activity, submit(right));
    expect(allRight).toMatchObject({ ok: true, score: cards.length, max: cards.length, success: true });

    const wrongCategory = categories.find((c) => c.id !== cards[0]!.category)!.id;
    const oneWrong = gradeOwnActivity(activity, submit({ ...right, 'card-0': wrongCategory }));
    expect(oneWrong).toMatchObject({ ok: true, score: cards.length - 1, success: false });
    if (oneWrong.ok) expect(oneWrong.items[0]).toMatchObject({ correct: false });

    expect(gradeOwnActivity(activity, submit({ ...right, 'card-1': '' }))).toEqual({ ok: false, missing: 1 });
    expect(gradeOwnActivity(activity, submit({ ...right, 'card-1': 'not-a-category' }))).toEqual({ ok: false, missing: 1 });
  });

  it('TermMatch: terms listed alphabetically (their order gives nothing away), one point per pair', () => {
    const activity = load('med-terminos-es');
    const { pairs } = content('med-terminos-es') as { pairs: { term: string; definition: string }[] };
    const options = activityFields(activity).items[0]!.choices.map((c) => c.label);
    expect(options).toEqual([...options].sort(new Intl.Collator('es', { sensitivity: 'base' }).compare));
    const right = Object.fromEntries(pairs.map((pair, i) => [`definition-${i}`, pair.term]));
    expect(gradeOwnActivity(activity, submit(right))).toMatchObject({ ok: true, score: pairs.length, success: true });
    const swapped = { ...right, 'definition-0': pairs[1]!.term, 'definition-1': pairs[0]!.term };
    expect(gradeOwnActivity(activity, submit(swapped))).toMatchObject({ ok: true, score: pairs.length - 2, success: false });
  });

  it('ScenarioDecision: the chosen option is right or wrong, with its own feedback', () => {
    const activity = load('tim-decision-es');
    const { choices } = content('tim-decision-es') as { choices: { text: string; correct: boolean; feedback: string }[] };
    const rightIndex = choices.findIndex((c) => c.correct);
    const wrongIndex = choices.findIndex((c) => !c.correct);
    expect(gradeOwnActivity(activity, submit({ choice: String(rightIndex) }))).toMatchObject({ ok: true, score: 1, max: 1, success: true });
    const wrong = gradeOwnActivity(activity, submit({ choice: String(wrongIndex) }));
    expect(wrong).toMatchObject({ ok: true, score: 0, success: false });
    if (wrong.ok) expect(wrong.items[0]!.feedback).toBe(choices[wrongIndex]!.feedback);
    expect(gradeOwnActivity(activity, submit({ choice: String(choices.length) }))).toEqual({ ok: false, missing: 1 });
  });

  it('records the graded form through the xAPI intake’s recorder, completing the required activity whatever the score', async () => {
    const { db, close } = await createTestDatabase();
    try {
      const user = await createPerson(db);
      const activity = load('tim-decision-es');
      const wrongIndex = (content('tim-decision-es') as { choices: { correct: boolean }[] }).choices.findIndex((c) => !c.correct);
      const grade = gradeOwnActivity(activity, submit({ choice: String(wrongIndex) }));
      if (!grade.ok) throw new Error('graded');
      // The statement is one the intake itself accepts.
      const report = xapiReportSchema.parse({ activityId: activity.id, courseId: 'basico-fundamentos', statement: ownActivityStatement(activity, grade) });
      const stored = buildStoredStatement({ report, actor: { userId: user.id }, origin: 'https://capacita.test' });
      expect(await requiredActivitiesDone(db, user.id, [activity.id])).toBe(false);
      const result = await recordActivityStatement(db, { userId: user.id, activityId: activity.id, courseId: 'basico-fundamentos', countryCode: user.countryCode, stored, forward: false });
      expect(result).toEqual({ bestScore: 0, lastScore: 0, maxScore: 1, completed: true });
      expect(await requiredActivitiesDone(db, user.id, [activity.id])).toBe(true);
      expect((await activityResultsFor(db, user.id, [activity.id])).get(activity.id)?.completed).toBe(true);
    } finally {
      close();
    }
  });
});

describe('the content build', () => {
  it('refuses a required activity that is an imported third-party package, naming the lesson', () => {
    dir = mkdtempSync(join(tmpdir(), 'capacita-content-'));
    cpSync(FIXTURE_CONTENT, dir, { recursive: true });
    mkdirSync(join(dir, 'h5p', 'fx-multichoice'), { recursive: true });
    writeFileSync(join(dir, 'h5p', 'fx-multichoice', 'h5p.json'), JSON.stringify({ title: 'Imported', mainLibrary: 'H5P.MultiChoice', language: 'es', embedTypes: ['div'], preloadedDependencies: [{ machineName: 'H5P.MultiChoice', majorVersion: 1, minorVersion: 16 }] }));
    const lesson = join(dir, 'courses', 'fx-basico', 'es', 'uno.mdx');
    writeFileSync(lesson, `${readFileSync(lesson, 'utf8')}\n<H5P id="fx-multichoice" />\n`);
    expect(checkContentIntegrity(dir)).toEqual([]);

    writeFileSync(lesson, `${readFileSync(lesson, 'utf8')}\n<H5P id="fx-multichoice" required />\n`);
    const problems = checkContentIntegrity(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('<H5P id="fx-multichoice" required>');
    expect(problems[0]!.message).toMatch(/^lesson fx-basico\/es\/uno: "fx-multichoice" is an imported H5P\.MultiChoice package/);
  });
});
