// What dashboard pages and exports share: who may see which scope, and the names (courses, countries, sectors,
// questions) the report tables are labelled with. The figures themselves come from src/server/reports/.
import { getCollection } from 'astro:content';
import type { Database } from '../../db/client.ts';
import { translate, type Locale, type MessageKey, type Params } from '../i18n/index.ts';
import { listCountries, listSectors } from '../server/directory.ts';
import { can, countryScope, type Actor } from '../server/policy.ts';
import { narrowScope, type CountryScope } from '../server/reports/scope.ts';
import type { Names } from '../server/reports/views.ts';

/** The one country a person may open, narrowed from their policy scope; null = not allowed. */
export function countryAccess(user: Actor | null | undefined, countryCode: string): CountryScope | null {
  if (!can(user, 'dashboard.view', { countryCode })) return null;
  return narrowScope(countryScope(user, 'dashboard.view'), countryCode);
}

/** Regional figures: full for the coordination, suppressed aggregates for observers; null = not allowed. */
export function regionAccess(user: Actor | null | undefined): { scope: CountryScope; suppressed: boolean } | null {
  if (can(user, 'dashboard.viewRegion')) return { scope: countryScope(user, 'dashboard.viewRegion'), suppressed: false };
  if (can(user, 'dashboard.viewAggregates')) return { scope: countryScope(user, 'dashboard.viewAggregates'), suppressed: true };
  return null;
}

export interface CourseOption {
  id: string;
  programme: string;
  title: string;
}

// Courses and quiz banks are build-time content: read once per process, not on every dashboard request.
let coursesOnce: ReturnType<typeof getCollection<'courses'>> | undefined;
let questionsOnce: Promise<Map<string, Question>> | undefined;

async function questionIndex(): Promise<Map<string, Question>> {
  questionsOnce ??= getCollection('quizzes').then((quizzes) => {
    const map = new Map<string, Question>();
    for (const quiz of quizzes) for (const q of quiz.data.questions) map.set(q.id, q);
    return map;
  });
  return questionsOnce;
}

export async function listCourses(locale: Locale): Promise<CourseOption[]> {
  const courses = await (coursesOnce ??= getCollection('courses'));
  const order = ['basico', 'actualizacion', 'especializado', 'autocuidado', 'medios'];
  return courses
    .map((c) => ({ id: c.data.id, programme: c.data.programme, title: c.data.title[locale], order: c.data.order }))
    .sort((a, b) => order.indexOf(a.programme) - order.indexOf(b.programme) || a.order - b.order)
    .map(({ id, programme, title }) => ({ id, programme, title }));
}

type Question = Awaited<ReturnType<typeof getCollection<'quizzes'>>>[number]['data']['questions'][number];

/** A stored response ({"type":"single","choice":"b"} …, see src/server/learning/quiz/grading.ts) in the words of the question. */
function describeResponse(q: Question, locale: Locale, json: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const none = locale === 'es' ? '(sin respuesta)' : '(no answer)';
  const option = (id: unknown) => (id === null || id === undefined ? none : (q.options?.find((o) => o.id === id)?.text[locale] ?? String(id)));
  switch (r?.type) {
    case 'single':
      return option(r.choice);
    case 'multiple':
      return Array.isArray(r.choices) && r.choices.length > 0 ? r.choices.map(option).join(' + ') : none;
    case 'truefalse':
      return r.value === null || r.value === undefined ? none : locale === 'es' ? (r.value ? 'Verdadero' : 'Falso') : r.value ? 'True' : 'False';
    case 'ordering': {
      const positions = (r.positions ?? {}) as Record<string, number | null>;
      const order = Object.entries(positions).sort((a, b) => (a[1] ?? 99) - (b[1] ?? 99));
      return order.length ? order.map(([id, p]) => (p === null ? `${option(id)} (?)` : option(id))).join(' → ') : none;
    }
    case 'matching': {
      const pair = (id: string) => q.pairs?.find((p) => p.id === id);
      const wrong = Object.entries((r.matches ?? {}) as Record<string, string | null>).filter(([left, right]) => left !== right);
      return wrong.length ? wrong.map(([left, right]) => `${pair(left)?.left[locale] ?? left} → ${right === null ? none : (pair(right)?.right[locale] ?? right)}`).join('; ') : none;
    }
    default:
      return json;
  }
}

export async function reportNames(db: Database, locale: Locale): Promise<Names> {
  const [courses, countries, sectors, questions] = await Promise.all([listCourses(locale), listCountries(db, locale), listSectors(db, locale), questionIndex()]);
  const courseTitles = new Map(courses.map((c) => [c.id, c.title]));
  const countryNames = new Map(countries.map((c) => [c.code, c.name]));
  const sectorNames = new Map(sectors.map((s) => [s.code, s.name]));
  return {
    locale,
    t: (key: MessageKey, params?: Params) => translate(locale, key, params),
    course: (id) => courseTitles.get(id) ?? id,
    country: (code) => countryNames.get(code) ?? code,
    sector: (code) => sectorNames.get(code) ?? code,
    question: (id) => {
      const q = questions.get(id);
      return q ? { text: q.text[locale], topic: q.topic, describe: (json: string) => describeResponse(q, locale, json) } : undefined;
    },
  };
}

/** Who may read the semester report of `scopeParam` ('region' or a country code), and with what suppression. */
export function semesterAccess(user: Actor | null | undefined, scopeParam: string): { scope: CountryScope; region: boolean; suppressed: boolean } | null {
  if (scopeParam === 'region') {
    const region = regionAccess(user);
    return region ? { scope: region.scope, region: true, suppressed: region.suppressed } : null;
  }
  const scope = countryAccess(user, scopeParam.toUpperCase());
  return scope ? { scope, region: false, suppressed: false } : null;
}
