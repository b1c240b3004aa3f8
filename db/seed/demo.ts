// The demo population: N synthetic officials spread over the institutions (weighted by their Básico targets) with
// plausible histories over the last months — enrolments, lesson progress, quiz attempts with every response, and
// certificates. Deterministic for a given seed. Rows go in batch by batch (2 000 officials at a time, so memory stays
// flat whatever N is), as INSERT … SELECT FROM json_each(?) inside one transaction per batch;
// the secondary indexes of the tables it fills are dropped during the load and rebuilt at the end (much faster than
// maintaining them row by row), and the report summaries are rebuilt from the loaded rows.
//
// Quiz responses have the shapes src/server/learning/quiz/grading.ts stores: {"type":"single","choice":"b"},
// {"type":"multiple","choices":["a","c"]}, {"type":"truefalse","value":true}, {"type":"ordering","positions":{"a":1,…}},
// {"type":"matching","matches":{"p1":"p2",…}}. Each question has a fixed difficulty and a favourite wrong answer
// (a misconception), so item analysis finds easy, hard and misunderstood questions.
import type { Database } from '../client.ts';
import type { CatalogCourse, CatalogQuestion } from './course-catalog.ts';
import { rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { mulberry32 } from '../../src/server/learning/random.ts';
import { generateDemoWorkshops } from './demo-workshops.ts';
import { SYNTHETIC_DOMAIN } from './synthetic.ts';

const DAY = 86_400_000;
const CERTIFICATE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

export interface DemoOptions {
  officials: number;
  seed?: number;
  months?: number;
  now?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called when the load moves on to rebuilding indexes and report summaries. */
  onPhase?: (phase: 'indexes' | 'summaries') => void;
}

/**
 * One part of a population generated over several processes (db/seed/demo-cli.ts): the same sequence as one run, cut
 * into parts so that no process lives long enough to grow (the libSQL driver keeps native memory in proportion to the
 * data bound into statements, about a byte per byte written, out of the garbage collector's reach).
 */
export interface DemoPart {
  /** Draws of the seeded generator made by the parts before this one (0 for the first). */
  randomCalls: number;
}

export interface DemoSummary {
  officials: number;
  enrolments: number;
  lessonProgress: number;
  quizAttempts: number;
  quizResponses: number;
  certificates: number;
  /** Demo workshops (db/seed/demo-workshops.ts) and the certificates their closes issued. */
  workshops: number;
  workshopCredits: number;
}


const GIVEN = ['Ana', 'Luis', 'María', 'José', 'Carmen', 'Jorge', 'Rosa', 'Carlos', 'Lucía', 'Miguel', 'Elena', 'Pedro', 'Sofía', 'Juan', 'Daniela', 'Andrés', 'Patricia', 'Ricardo', 'Gabriela', 'Fernando', 'Marta', 'Óscar', 'Isabel', 'Raúl', 'Karla', 'Héctor', 'Paola', 'Mario', 'Alejandra', 'Sergio'];
const FAMILY = ['García', 'Hernández', 'López', 'Martínez', 'Rodríguez', 'Pérez', 'González', 'Ramírez', 'Flores', 'Morales', 'Castillo', 'Reyes', 'Cruz', 'Ortiz', 'Mejía', 'Chávez', 'Vásquez', 'Rivera', 'Aguilar', 'Mendoza', 'Castro', 'Romero', 'Herrera', 'Medina', 'Álvarez', 'Jiménez', 'Ruiz', 'Vargas', 'Gómez', 'Díaz'];
const SPECIALISED_SECTORS = new Set(['police', 'prosecution', 'judiciary', 'migration']);
const CARE_SECTORS = new Set(['health', 'child_protection', 'prosecution', 'civil_society']);

/** The stored JSON of right and wrong answers to one question, the wrong ones with cumulative weights. */
interface AnswerModel {
  right: string;
  wrong: string[];
  wrongWeights: number[];
}

function answerModel(q: CatalogQuestion, random: () => number): AnswerModel {
  const json = (v: unknown) => JSON.stringify(v);
  let right: unknown;
  let wrongs: unknown[] = [];
  const positions = (order: string[]) => Object.fromEntries(order.map((id, i) => [id, i + 1]));
  switch (q.type) {
    case 'single': {
      const answer = Array.isArray(q.answer) ? q.answer[0]! : q.options[0]!;
      right = { type: 'single', choice: answer };
      wrongs = q.options.filter((o) => o !== answer).map((choice) => ({ type: 'single', choice }));
      break;
    }
    case 'multiple': {
      const answer = Array.isArray(q.answer) ? q.answer : [];
      right = { type: 'multiple', choices: q.options.filter((o) => answer.includes(o)) };
      // Missing one right option, or adding one wrong option.
      for (const missing of answer) wrongs.push(q.options.filter((o) => answer.includes(o) && o !== missing));
      for (const extra of q.options.filter((o) => !answer.includes(o))) wrongs.push(q.options.filter((o) => answer.includes(o) || o === extra));
      wrongs = wrongs.filter((w) => (w as string[]).length > 0).map((choices) => ({ type: 'multiple', choices }));
      break;
    }
    case 'truefalse':
      right = { type: 'truefalse', value: q.answer === true };
      wrongs = [{ type: 'truefalse', value: q.answer !== true }];
      break;
    case 'ordering': {
      right = { type: 'ordering', positions: positions(q.options) };
      for (let i = 0; i + 1 < q.options.length; i++) {
        const w = [...q.options];
        [w[i], w[i + 1]] = [w[i + 1]!, w[i]!];
        wrongs.push({ type: 'ordering', positions: positions(w) });
      }
      break;
    }
    case 'matching': {
      right = { type: 'matching', matches: Object.fromEntries(q.pairs.map((p) => [p, p])) };
      for (let i = 0; i + 1 < q.pairs.length; i++) {
        const m: Record<string, string> = Object.fromEntries(q.pairs.map((p) => [p, p]));
        m[q.pairs[i]!] = q.pairs[i + 1]!;
        m[q.pairs[i + 1]!] = q.pairs[i]!;
        wrongs.push({ type: 'matching', matches: m });
      }
      break;
    }
  }
  if (wrongs.length === 0) wrongs = [{ type: q.type }];
  // One wrong answer is the common misconception: it draws about 60 % of the wrong answers.
  const favourite = Math.floor(random() * wrongs.length);
  const weights = wrongs.map((_, i) => (wrongs.length === 1 ? 1 : i === favourite ? 0.6 : 0.4 / (wrongs.length - 1)));
  let sum = 0;
  return { right: json(right), wrong: wrongs.map(json), wrongWeights: weights.map((w) => (sum += w)) };
}

interface InstitutionRow {
  id: number;
  country_code: string;
  sector_code: string;
  weight: number;
}

/** Rows per INSERT statement (bounds the size of one JSON parameter). */
const ROWS_PER_STATEMENT = 5_000;

/** Buffers rows per table and flushes them as INSERT statements. */
class Inserter {
  private rows = new Map<string, unknown[][]>();
  private readonly columns: Record<string, string[]>;
  /** Tables are flushed in the order `columns` lists them: parents before children (foreign keys). */
  constructor(columns: Record<string, string[]>) {
    this.columns = columns;
    for (const table of Object.keys(columns)) this.rows.set(table, []);
  }
  add(table: string, row: unknown[]) {
    let list = this.rows.get(table);
    if (!list) this.rows.set(table, (list = []));
    list.push(row);
  }
  /**
   * The buffered rows as INSERT … SELECT FROM json_each(?): one JSON array parameter per statement, so each table has
   * one SQL text whatever the number of rows. (A multi-row VALUES statement has a different text for every row count;
   * the driver keeps each compiled statement natively, out of the garbage collector's sight, and at 200 000 officials
   * those took the process to ~2.9 GB.)
   */
  statements() {
    const out: { sql: string; args: unknown[] }[] = [];
    // Tables in the order they were declared, so parents are inserted before the rows that reference them.
    for (const [table, columns] of Object.entries(this.columns)) {
      const rows = this.rows.get(table) ?? [];
      const sql = `INSERT INTO ${table} (${columns.join(',')}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push({ sql, args: [JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))] });
    }
    for (const list of this.rows.values()) list.length = 0;
    return out;
  }
}

export async function countSyntheticOfficials(db: Database): Promise<number> {
  const result = await db.$client.execute({ sql: `SELECT count(*) AS n FROM users WHERE email_key LIKE ?`, args: [`%@${SYNTHETIC_DOMAIN}`] });
  return Number(result.rows[0]?.n ?? 0);
}

export async function generateDemoPopulation(db: Database, courses: CatalogCourse[], options: DemoOptions): Promise<DemoSummary> {
  const now = options.now ?? Date.now();
  const indexes = await dropSecondaryIndexes(db);
  let generated: { summary: DemoSummary; randomCalls: number };
  try {
    generated = await generateOfficials(db, courses, { ...options, now }, { randomCalls: 0 });
  } finally {
    options.onPhase?.('indexes');
    await restoreIndexes(db, indexes);
  }
  return finishDemoPopulation(db, courses, generated.summary, { seed: options.seed ?? 2026, now, onPhase: options.onPhase });
}

/** After the last part (indexes restored): the demo workshops, the report summaries and the planner statistics. */
export async function finishDemoPopulation(db: Database, courses: CatalogCourse[], summary: DemoSummary, { seed, now, onPhase }: { seed: number; now: number; onPhase?: DemoOptions['onPhase'] }): Promise<DemoSummary> {
  // Workshops take their rosters from the people just loaded; their credits count in the summaries rebuilt next.
  const workshops = await generateDemoWorkshops(db, courses, { seed, now });
  summary.workshops = workshops.workshops;
  summary.workshopCredits = workshops.credited;
  onPhase?.('summaries');
  await rebuildReportSummaries(db);
  // sqld (libSQL server) refuses ANALYZE ("unsupported statement"); the planner statistics are an embedded-file nicety.
  if (db.$client.protocol === 'file') await db.$client.execute('ANALYZE');
  return summary;
}

/**
 * The officials and their histories, without touching indexes or summaries (the caller drops the indexes first and
 * restores them after the last part). Returns the counts and the generator's draws so far, for the next part.
 */
export async function generateOfficials(db: Database, courses: CatalogCourse[], options: DemoOptions, part: DemoPart): Promise<{ summary: DemoSummary; randomCalls: number }> {
  const { officials, seed = 2026, months = 30, now = Date.now(), batchSize = 2_000, onProgress } = options;
  const seeded = mulberry32(seed);
  let randomCalls = 0;
  const random = () => {
    randomCalls++;
    return seeded();
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const client = db.$client;

  const institutions = (
    await client.execute(
      `SELECT i.id, i.country_code, i.sector_code, COALESCE(t.target, 100) AS weight
       FROM institutions i LEFT JOIN institution_targets t ON t.institution_id = i.id AND t.programme = 'basico'
       WHERE i.active = 1 ORDER BY i.id`,
    )
  ).rows.map((r) => ({ id: Number(r.id), country_code: String(r.country_code), sector_code: String(r.sector_code), weight: Number(r.weight) })) as InstitutionRow[];
  if (institutions.length === 0) throw new Error('No institutions: load the reference data first (db/setup.ts).');
  const cumulative: number[] = [];
  let total = 0;
  for (const i of institutions) cumulative.push((total += i.weight));
  const pickInstitution = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return institutions[lo]!;
  };

  const byProgramme = (p: string) => courses.filter((c) => c.programme === p);
  const basico = byProgramme('basico')[0];
  const refresher = byProgramme('actualizacion')[0];
  const specialised = byProgramme('especializado');
  const selfCare = byProgramme('autocuidado')[0];
  const media = byProgramme('medios')[0];

  const next = async (table: string) => Number((await client.execute(`SELECT COALESCE(MAX(id), 0) + 1 AS n FROM ${table}`)).rows[0]!.n);
  let userId = await next('users');
  let enrolmentId = await next('enrolments');
  let attemptId = await next('quiz_attempts');
  let certificateId = await next('certificates');
  const firstIndex = await countSyntheticOfficials(db);

  const inserter = new Inserter({
    users: ['id', 'name', 'email', 'email_key', 'role', 'country_code', 'institution_id', 'locale', 'specialist_status', 'sex', 'created_at'],
    enrolments: ['id', 'user_id', 'course_id', 'programme', 'cycle', 'country_code', 'institution_id', 'enrolled_at', 'started_at', 'completed_at', 'last_lesson'],
    lesson_progress: ['enrolment_id', 'lesson', 'completed_at'],
    quiz_attempts: ['id', 'enrolment_id', 'user_id', 'course_id', 'paper', 'started_at', 'submitted_at', 'score', 'max_score', 'passed'],
    quiz_responses: ['attempt_id', 'question_id', 'response', 'score', 'correct'],
    certificates: ['id', 'code', 'user_id', 'enrolment_id', 'course_id', 'programme', 'course_version', 'holder_name', 'country_code', 'institution_id', 'issued_at', 'expires_at'],
  });
  const summary: DemoSummary = { officials: 0, enrolments: 0, lessonProgress: 0, quizAttempts: 0, quizResponses: 0, certificates: 0, workshops: 0, workshopCredits: 0 };
  const windowStart = now - months * 30.44 * DAY;
  // Per-question difficulty, fixed per seed, so item analysis finds easy and hard questions.
  const difficulty = new Map<string, number>();
  const answers = new Map<string, AnswerModel>();
  for (const c of courses) {
    for (const q of c.questionIds) difficulty.set(q, 0.15 + random() * 0.6);
    for (const q of c.questions) answers.set(q.id, answerModel(q, random));
  }
  // A later part continues the sequence where the previous part stopped (the models above are drawn again, the same).
  while (randomCalls < part.randomCalls) random();
  const wrongAnswer = (model: AnswerModel) => {
    const x = random();
    let i = 0;
    while (i < model.wrong.length - 1 && model.wrongWeights[i]! < x) i++;
    return model.wrong[i]!;
  };
  /** k of the bank's question ids, drawn without replacement (partial Fisher–Yates). */
  const draw = (ids: string[], k: number) => {
    const pool = [...ids];
    const n = Math.min(k, pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, n);
  };

  const certificateCode = () => {
    let code = '';
    for (let i = 0; i < 16; i++) code += (i > 0 && i % 4 === 0 ? '-' : '') + CERTIFICATE_ALPHABET[Math.floor(random() * CERTIFICATE_ALPHABET.length)];
    return code;
  };

  /** One course taken by one person from `start`: progress, attempts and, when finished, a certificate. */
  const takeCourse = (person: { id: number; name: string; institution: InstitutionRow; ability: number }, course: CatalogCourse, start: number, cycle = 1): number | null => {
    if (start >= now) return null;
    const id = enrolmentId++;
    const started = random() < 0.9 ? start + random() * 5 * DAY : null;
    let completed: number | null = null;
    let lessonsDone = 0;
    if (started !== null) {
      const finishes = random() < 0.72;
      const duration = (1 + random() * 50) * DAY;
      if (finishes && started + duration < now) completed = started + duration;
      lessonsDone = completed !== null ? course.lessons.length : Math.floor(random() * course.lessons.length);
    }
    const last = lessonsDone > 0 ? course.lessons[Math.min(lessonsDone, course.lessons.length) - 1]! : null;
    const span = (completed ?? Math.min(now, (started ?? start) + 30 * DAY)) - (started ?? start);
    for (let l = 0; l < lessonsDone; l++) {
      inserter.add('lesson_progress', [id, course.lessons[l], Math.round((started ?? start) + (span * (l + 1)) / (course.lessons.length + 1))]);
      summary.lessonProgress++;
    }
    // Quiz: a learner who finished all lessons sits the quiz; some fail first.
    if (lessonsDone === course.lessons.length && course.questionIds.length > 0) {
      const attempts = completed !== null ? (random() < 0.25 ? 2 : 1) : random() < 0.5 ? 1 : 0;
      for (let a = 0; a < attempts; a++) {
        // The last attempt of someone who completed passes; every other attempt fails (passing completes the course).
        const mustPass = completed !== null && a === attempts - 1;
        const drawn = draw(course.questionIds, course.quiz.draw);
        const at = Math.round((completed ?? (started ?? start) + span) - (attempts - 1 - a) * (1 + random() * 3) * DAY);
        const aid = attemptId++;
        const chance = (q: string) => Math.min(0.98, Math.max(0.02, person.ability + (mustPass ? 0.25 : 0) - difficulty.get(q)! + 0.35));
        const correct = drawn.map((q) => random() < chance(q));
        let score = correct.filter(Boolean).length;
        const passMark = Math.ceil((course.quiz.passMark / 100) * drawn.length);
        // Nudge the answers (the hardest-for-them questions first) so the outcome matches the story, and the score
        // stays the sum of the responses.
        if (mustPass && score < passMark) {
          const order = drawn.map((_, i) => i).filter((i) => !correct[i]).sort((x, y) => chance(drawn[y]!) - chance(drawn[x]!));
          for (const i of order.slice(0, passMark - score)) correct[i] = true;
        } else if (!mustPass && score >= passMark) {
          const order = drawn.map((_, i) => i).filter((i) => correct[i]).sort((x, y) => chance(drawn[x]!) - chance(drawn[y]!));
          for (const i of order.slice(0, score - passMark + 1)) correct[i] = false;
        }
        score = correct.filter(Boolean).length;
        const responses: unknown[][] = drawn.map((q, i) => {
          const model = answers.get(q);
          const response = model ? (correct[i] ? model.right : wrongAnswer(model)) : JSON.stringify(correct[i]);
          return [aid, q, response, correct[i] ? 1 : 0, correct[i] ? 1 : 0];
        });
        inserter.add('quiz_attempts', [aid, id, person.id, course.id, JSON.stringify({ questions: drawn }), at - 20 * 60_000, at, score, drawn.length, score >= passMark ? 1 : 0]);
        for (const r of responses) inserter.add('quiz_responses', r);
        summary.quizAttempts++;
        summary.quizResponses += responses.length;
      }
    }
    inserter.add('enrolments', [id, person.id, course.id, course.programme, cycle, person.institution.country_code, person.institution.id, Math.round(start), started && Math.round(started), completed && Math.round(completed), last]);
    summary.enrolments++;
    if (completed !== null) {
      const expires = course.certificateValidityMonths ? Math.round(completed + course.certificateValidityMonths * 30.44 * DAY) : null;
      inserter.add('certificates', [certificateId++, certificateCode(), person.id, id, course.id, course.programme, course.version, person.name, person.institution.country_code, person.institution.id, Math.round(completed), expires]);
      summary.certificates++;
    }
    return completed;
  };

  // A bigger page cache for the load (this connection only), within the process's memory budget.
  if (client.protocol === 'file') await client.execute('PRAGMA cache_size = -65536');
  {
    for (let done = 0; done < officials; ) {
      const size = Math.min(batchSize, officials - done);
      for (let k = 0; k < size; k++) {
        const n = firstIndex + done + k + 1;
        const institution = pickInstitution();
        const name = `${pick(GIVEN)} ${pick(FAMILY)} ${pick(FAMILY)}`;
        const specialist = SPECIALISED_SECTORS.has(institution.sector_code) && random() < 0.06;
        const joined = windowStart - random() * 365 * DAY + random() * (now - windowStart);
        const person = { id: userId++, name, institution, ability: 0.3 + random() * 0.5 };
        inserter.add('users', [person.id, name, `persona${n}@${SYNTHETIC_DOMAIN}`, `persona${n}@${SYNTHETIC_DOMAIN}`, specialist ? 'specialist' : 'learner', institution.country_code, institution.id, institution.country_code === 'BZ' ? 'en' : 'es', specialist ? 'approved' : 'none', demoSexAnswer(n), Math.round(Math.min(joined, now - DAY))]);
        summary.officials++;

        const firstDay = Math.max(joined, windowStart);
        if (basico && random() < 0.78) {
          const basicoDone = takeCourse(person, basico, firstDay + random() * (now - firstDay) * 0.6);
          if (basicoDone !== null) {
            // The refresher falls due 24 months later; about half of those due have taken it.
            if (refresher && basicoDone + 22 * 30.44 * DAY < now && random() < 0.55) takeCourse(person, refresher, basicoDone + (22 + random() * 6) * 30.44 * DAY);
            if (specialist && specialised.length > 0 && random() < 0.7) {
              const first = pick(specialised);
              const firstDone = takeCourse(person, first, basicoDone + random() * 120 * DAY);
              const others = specialised.filter((c) => c !== first);
              if (firstDone !== null && others.length > 0 && random() < 0.3) takeCourse(person, pick(others), firstDone + random() * 180 * DAY);
            }
          }
        }
        if (selfCare && CARE_SECTORS.has(institution.sector_code) && random() < 0.2) takeCourse(person, selfCare, firstDay + random() * (now - firstDay));
        if (media && random() < 0.01) takeCourse(person, media, firstDay + random() * (now - firstDay));
      }
      // One write transaction per batch: a crash leaves whole batches, never half a person's history.
      await client.batch(inserter.statements() as never, 'write');
      done += size;
      onProgress?.(done, officials);
    }
  }
  return { summary, randomCalls };
}

/**
 * The optional sex answer of synthetic official n, so the dashboard's breakdown by sex has figures to show (and to
 * suppress). Derived from n rather than drawn, so adding it left every other generated figure as it was.
 */
const SEX_ANSWERS = ['female', 'male', 'female', 'male', null, 'female', 'male', 'undisclosed', 'female', 'male'] as const;
function demoSexAnswer(n: number): (typeof SEX_ANSWERS)[number] {
  return SEX_ANSWERS[n % SEX_ANSWERS.length]!;
}

const FILLED_TABLES = ['users', 'enrolments', 'lesson_progress', 'quiz_attempts', 'quiz_responses', 'certificates'];

export async function restoreIndexes(db: Database, indexes: readonly string[]): Promise<void> {
  for (const ddl of indexes) await db.$client.execute(ddl);
}

/** Drops the (non-primary-key) indexes of the tables the generator fills and returns the DDL to recreate them. */
export async function dropSecondaryIndexes(db: Database): Promise<string[]> {
  const rows = (
    await db.$client.execute({
      sql: `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${FILLED_TABLES.map(() => '?').join(',')})`,
      args: FILLED_TABLES,
    })
  ).rows;
  for (const r of rows) await db.$client.execute(`DROP INDEX IF EXISTS "${String(r.name)}"`);
  return rows.map((r) => String(r.sql));
}
