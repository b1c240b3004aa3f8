// Going through a course the way a learner does, for any course and either language: registering, enrolling, the
// lesson sequence with its required H5P activities, and the final quiz. The test (in Node) reads the right answers
// from the content files; the browser never gets them.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { linkIn, waitForMail } from './mail.ts';
import { signIn } from './session.ts';

export type Locale = 'es' | 'en';
type Bilingual = { es: string; en: string };

export type Manifest = {
  id: string;
  lessons: string[];
  quiz: { draw: number; passMark: number; attempts?: number };
};

export type Question = {
  id: string;
  type: string;
  text: Bilingual;
  options?: { id: string; text: Bilingual }[];
  answer?: string[] | boolean;
  pairs?: { id: string; left: Bilingual; right: Bilingual }[];
  explanation: Bilingual;
};

/** What the pages show, as in src/i18n/messages/{auth,learning}.ts and the H5P libraries' labels. */
export const UI = {
  es: {
    registerName: 'Nombre completo',
    registerEmail: 'Correo electrónico',
    registerPassword: 'Contraseña',
    registerCountry: 'País',
    registerInstitution: 'Institución',
    registerMediaOutlet: 'Medio de comunicación (solo periodistas)',
    registerLanguage: 'Idioma preferido',
    kindOfficial: 'Funcionario/a público/a',
    kindJournalist: 'Periodista o personal de un medio de comunicación',
    registerSubmit: 'Crear cuenta',
    enrol: 'Inscribirme',
    markDone: 'Marcar como completada y seguir',
    activitiesPending: 'actividades obligatorias',
    quizStart: 'Comenzar la evaluación',
    quizStartAgain: 'Comenzar otro intento',
    quizSubmit: 'Enviar respuestas',
    quizTrue: 'Verdadero',
    quizFalse: 'Falso',
    youPassed: '¡Aprobó!',
    viewCertificate: 'Ver mi certificado',
    h5pCheck: 'Comprobar',
    h5pStartMatching: 'Empezar a emparejar',
  },
  en: {
    registerName: 'Full name',
    registerEmail: 'E-mail',
    registerPassword: 'Password',
    registerCountry: 'Country',
    registerInstitution: 'Institution',
    registerMediaOutlet: 'Media outlet (journalists only)',
    registerLanguage: 'Preferred language',
    kindOfficial: 'Public official',
    kindJournalist: 'Journalist or media staff',
    registerSubmit: 'Create account',
    enrol: 'Enrol',
    markDone: 'Mark as done and continue',
    activitiesPending: 'required activities',
    quizStart: 'Start the quiz',
    quizStartAgain: 'Start another attempt',
    quizSubmit: 'Submit answers',
    quizTrue: 'True',
    quizFalse: 'False',
    youPassed: 'You passed!',
    viewCertificate: 'View my certificate',
    h5pCheck: 'Check',
    h5pStartMatching: 'Start matching',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export function readManifest(course: string): Manifest {
  return parse(readFileSync(`content/courses/${course}/course.yaml`, 'utf8')) as Manifest;
}

export function readBank(course: string): { questions: Question[] } {
  return parse(readFileSync(`content/courses/${course}/quiz.yaml`, 'utf8')) as { questions: Question[] };
}

/** The ids of the activities a lesson marks `required`, in the language's MDX. */
export function requiredActivities(course: string, locale: Locale, lesson: string): string[] {
  const mdx = readFileSync(`content/courses/${course}/${locale}/${lesson}.mdx`, 'utf8');
  return [...mdx.matchAll(/<H5P id="([^"]+)" required/g)].map((m) => m[1]!);
}

export type Registration = {
  locale: Locale;
  name: string;
  email: string;
  country: string;
  password?: string;
  /** Preferred language chosen in the form (the form preselects the page's language). */
  preferredLocale?: Locale;
} & ({ kind: 'official'; institution: string } | { kind: 'journalist'; mediaOutlet: string });

/** Registers through /<locale>/register and lands on "My learning" in the preferred language. */
export async function register(page: Page, who: Registration): Promise<void> {
  const ui = UI[who.locale];
  await page.goto(`/${who.locale}/register`);
  await page.getByLabel(ui.registerName).fill(who.name);
  await page.getByLabel(ui.registerEmail).fill(who.email);
  await page.getByLabel(ui.registerPassword).fill(who.password ?? 'ríos verdes bajo la lluvia');
  await page.getByLabel(who.kind === 'official' ? ui.kindOfficial : ui.kindJournalist, { exact: true }).check();
  await page.getByLabel(ui.registerCountry).selectOption({ label: who.country });
  if (who.kind === 'official') await page.getByLabel(ui.registerInstitution).selectOption({ label: who.institution });
  else await page.getByLabel(ui.registerMediaOutlet).fill(who.mediaOutlet);
  if (who.preferredLocale) await page.getByLabel(ui.registerLanguage).selectOption(who.preferredLocale);
  await page.getByRole('button', { name: ui.registerSubmit }).click();
  // No session until the address is confirmed: follow the e-mailed link, confirm, then sign in.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(who.locale === 'es' ? 'Revise su correo' : 'Check your e-mail');
  const preferred = who.preferredLocale ?? who.locale;
  const mail = await waitForMail(who.email, (m) => /\/register\/confirm\//.test(m.text));
  await page.goto(linkIn(mail, /\/register\/confirm\/[a-z2-7]+/));
  await page.getByLabel(preferred === 'es' ? 'Contraseña' : 'Password', { exact: true }).fill(who.password ?? 'ríos verdes bajo la lluvia');
  await page.getByRole('button', { name: preferred === 'es' ? 'Confirmar mi correo' : 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(new RegExp(`/${preferred}/login\\?done=confirmed`));
  await signIn(page, who.email, who.password ?? 'ríos verdes bajo la lluvia', preferred);
  await expect(page).toHaveURL(new RegExp(`/${preferred}/learning`));
}

/** Enrols from the course page and lands on the first lesson. */
export async function enrol(page: Page, course: string, locale: Locale): Promise<void> {
  const manifest = readManifest(course);
  await page.goto(`/${locale}/courses/${course}`);
  await page.getByRole('button', { name: UI[locale].enrol }).click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/courses/${course}/${manifest.lessons[0]}$`));
}

/**
 * Goes through every lesson in order: opens it, runs `onLesson` (the caller's checks), and where the lesson has required
 * activities, first checks that marking it done is refused, then completes them; marks it done and expects the next
 * lesson (or the quiz after the last one).
 */
export async function completeLessons(page: Page, course: string, locale: Locale, onLesson?: (lesson: string, index: number) => Promise<void>): Promise<void> {
  const manifest = readManifest(course);
  const ui = UI[locale];
  for (const [i, lesson] of manifest.lessons.entries()) {
    // "Mark as done and continue" lands on the next lesson, as it does for a learner: open it only when not there yet
    // (the first lesson, or a caller who left the page), rather than loading every lesson twice.
    const path = `/${locale}/courses/${course}/${lesson}`;
    if (new URL(page.url()).pathname !== path) await page.goto(path);
    if (onLesson) await onLesson(lesson, i);
    const required = requiredActivities(course, locale, lesson);
    if (required.length > 0) {
      // A required activity gates the lesson: refused until it is completed.
      await page.getByRole('button', { name: ui.markDone }).click();
      await expect(page.getByRole('alert')).toContainText(ui.activitiesPending);
      for (const id of required) await completeActivity(page, id);
    }
    await page.getByRole('button', { name: ui.markDone }).click();
    const next = manifest.lessons[i + 1];
    await expect(page).toHaveURL(next ? new RegExp(`/${locale}/courses/${course}/${next}$`) : new RegExp(`/${locale}/courses/${course}/quiz$`));
  }
}

type Package = { mainLibrary: string; language?: string };
type ClassifyContent = { categories: { id: string; label: string }[]; cards: { text: string; category: string }[] };
type TermMatchContent = { pairs: { term: string; definition: string }[] };
type ScenarioContent = { choices: { text: string; correct: boolean }[] };

/** Completes an H5P activity of one of our types (Classify, TermMatch, ScenarioDecision) with the right answers. */
export async function completeActivity(page: Page, id: string): Promise<void> {
  const section = page.locator(`section[data-h5p-id="${id}"]`);
  await section.scrollIntoViewIfNeeded();
  await expect(section).toHaveAttribute('data-h5p-state', 'ready');
  const pkg = JSON.parse(readFileSync(`content/h5p/${id}/h5p.json`, 'utf8')) as Package;
  const content = JSON.parse(readFileSync(`content/h5p/${id}/content/content.json`, 'utf8')) as unknown;
  // The activity's own labels follow the package's language, not the page's.
  const ui = UI[pkg.language === 'en' ? 'en' : 'es'];
  if (pkg.mainLibrary === 'Capacita.Classify') {
    const { categories, cards } = content as ClassifyContent;
    for (const card of cards) {
      const label = categories.find((c) => c.id === card.category)!.label;
      await section.getByRole('group', { name: card.text }).getByRole('radio', { name: label, exact: true }).check();
    }
  } else if (pkg.mainLibrary === 'Capacita.TermMatch') {
    // Study phase first (a fresh learner starts there), then each definition is the label of a list of terms.
    const start = section.getByRole('button', { name: ui.h5pStartMatching });
    if (await start.isVisible()) await start.click();
    for (const pair of (content as TermMatchContent).pairs) {
      await section.getByLabel(pair.definition, { exact: true }).selectOption({ label: pair.term });
    }
  } else if (pkg.mainLibrary === 'Capacita.ScenarioDecision') {
    const choice = (content as ScenarioContent).choices.find((c) => c.correct)!;
    await section.getByRole('radio', { name: choice.text, exact: true }).check();
  } else {
    throw new Error(`${id}: no way to answer ${pkg.mainLibrary}`);
  }
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/xapi') && r.request().postDataJSON().statement.verb.id.endsWith('/completed'));
  await section.getByRole('button', { name: ui.h5pCheck }).click();
  const response = await posted;
  expect(response.status()).toBe(201);
  expect(response.request().postDataJSON().statement.result).toMatchObject({ success: true });
}

/** Answers every question of the open quiz form correctly, matching each question by its text in `locale`. */
export async function answerQuizCorrectly(page: Page, course: string, locale: Locale): Promise<void> {
  const bank = readBank(course);
  const fieldsets = page.locator('form.quiz fieldset.question');
  const count = await fieldsets.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const fieldset = fieldsets.nth(i);
    const legend = (await fieldset.locator('legend').innerText()).trim();
    // The legend is "Question n of N. <text>": the longest question text it ends with (one text may end another).
    const q = bank.questions
      .filter((x) => legend.endsWith(x.text[locale].trim()))
      .sort((a, b) => b.text[locale].length - a.text[locale].length)[0];
    expect(q, `question for "${legend}"`).toBeTruthy();
    await answerQuestion(fieldset, q!, locale);
  }
}

async function answerQuestion(fieldset: Locator, q: Question, locale: Locale): Promise<void> {
  const option = (id: string) => q.options!.find((o) => o.id === id)!.text[locale];
  if (q.type === 'single' || q.type === 'multiple') {
    for (const id of q.answer as string[]) await fieldset.getByLabel(option(id), { exact: true }).check();
  } else if (q.type === 'truefalse') {
    await fieldset.getByLabel(q.answer ? UI[locale].quizTrue : UI[locale].quizFalse, { exact: true }).check();
  } else if (q.type === 'ordering') {
    for (const [index, o] of q.options!.entries()) await fieldset.getByLabel(o.text[locale], { exact: true }).selectOption(String(index + 1));
  } else if (q.type === 'matching') {
    for (const p of q.pairs!) await fieldset.getByLabel(p.left[locale], { exact: true }).selectOption({ label: p.right[locale] });
  } else {
    throw new Error(`${q.id}: unknown question type ${q.type}`);
  }
}

/**
 * From the quiz page: starts an attempt, checks it draws the manifest's number of questions, answers them from the
 * bank, submits, expects a pass and opens the certificate. Returns the certificate's verification code.
 */
export async function passQuiz(page: Page, course: string, locale: Locale, options: { again?: boolean } = {}): Promise<string> {
  const ui = UI[locale];
  const manifest = readManifest(course);
  await page.goto(`/${locale}/courses/${course}/quiz`);
  await page.getByRole('button', { name: options.again ? ui.quizStartAgain : ui.quizStart }).click();
  await expect(page.locator('form.quiz fieldset.question')).toHaveCount(manifest.quiz.draw);
  await answerQuizCorrectly(page, course, locale);
  await page.getByRole('button', { name: ui.quizSubmit }).click();
  // The page has more than one live region (the quiz's autosave announces there too): look for the result's.
  await expect(page.getByRole('status').filter({ hasText: ui.youPassed })).toBeVisible();
  await page.getByRole('link', { name: ui.viewCertificate }).click();
  return certificateCode(page);
}

/** The verification code shown on the certificate page. */
export async function certificateCode(page: Page): Promise<string> {
  const code = (await page.locator('.certificate code').innerText()).trim();
  expect(code).toMatch(/^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$/);
  return code;
}
