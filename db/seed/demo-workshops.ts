// Demo workshops, so the dashboards show both modes: per member country a closed in-person Básico workshop and a
// closed live online Autocuidado one (each with a roster of synthetic officials who had not taken that course,
// attendance for every day and, for those who met the 80 % rule, the course completed via the workshop with its
// certificate), one held last week with attendance still open, and one planned for next month; and a planned
// regional workshop of the coordination. Written straight as rows (like the rest of the generator) before the report
// summaries are rebuilt; deterministic for a seed; skipped when the database already has workshops.
import type { Database } from '../client.ts';
import type { CatalogCourse } from './course-catalog.ts';
import { mulberry32 } from '../../src/server/learning/random.ts';
import { SYNTHETIC_DOMAIN } from './synthetic.ts';

const DAY = 86_400_000;
const CERTIFICATE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const HOURS_PER_DAY = 4;

export interface DemoWorkshopSummary {
  workshops: number;
  participants: number;
  credited: number;
}

interface Plan {
  kind: 'closed' | 'held' | 'planned';
  course: CatalogCourse;
  mode: 'in_person' | 'online_live';
  startsDaysAgo: number;
  days: number;
  roster: number;
  titleEs: (country: string) => string;
  titleEn: (country: string) => string;
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function generateDemoWorkshops(db: Database, courses: CatalogCourse[], { seed = 2026, now = Date.now() } = {}): Promise<DemoWorkshopSummary> {
  const client = db.$client;
  const summary: DemoWorkshopSummary = { workshops: 0, participants: 0, credited: 0 };
  if (Number((await client.execute('SELECT count(*) AS n FROM workshops')).rows[0]!.n) > 0) return summary;
  const basico = courses.find((c) => c.programme === 'basico');
  const selfCare = courses.find((c) => c.programme === 'autocuidado');
  const coordinator = (await client.execute("SELECT id FROM users WHERE role = 'coordinator' AND active = 1 ORDER BY id LIMIT 1")).rows[0];
  if (!basico || !coordinator) return summary;
  const random = mulberry32(seed + 17);
  const code = () => {
    let out = '';
    for (let i = 0; i < 16; i++) out += (i > 0 && i % 4 === 0 ? '-' : '') + CERTIFICATE_ALPHABET[Math.floor(random() * CERTIFICATE_ALPHABET.length)];
    return out;
  };

  const plans: Plan[] = [
    { kind: 'closed', course: basico, mode: 'in_person', startsDaysAgo: 120, days: 2, roster: 28, titleEs: (c) => `Taller Básico presencial de detección y referencia (${c})`, titleEn: (c) => `In-person Basic workshop on detection and referral (${c})` },
    ...(selfCare ? [{ kind: 'closed' as const, course: selfCare, mode: 'online_live' as const, startsDaysAgo: 60, days: 1, roster: 18, titleEs: (c: string) => `Autocuidado y seguridad en vivo, en línea (${c})`, titleEn: (c: string) => `Live online self-care and security (${c})` }] : []),
    { kind: 'held', course: basico, mode: 'in_person', startsDaysAgo: 8, days: 2, roster: 20, titleEs: (c) => `Taller Básico para personal de primera línea (${c})`, titleEn: (c) => `Basic workshop for front-line staff (${c})` },
    { kind: 'planned', course: basico, mode: 'in_person', startsDaysAgo: -30, days: 2, roster: 12, titleEs: (c) => `Taller Básico, segunda edición (${c})`, titleEn: (c) => `Basic workshop, second edition (${c})` },
  ];
  const countries = (await client.execute('SELECT code, name_es, name_en FROM countries WHERE member = 1 ORDER BY code')).rows;
  const next = async (table: string) => Number((await client.execute(`SELECT COALESCE(MAX(id), 0) + 1 AS n FROM ${table}`)).rows[0]!.n);
  let enrolmentId = await next('enrolments');
  let certificateId = await next('certificates');
  let workshopIds = await next('workshops');
  let sessionIdsNext = await next('workshop_sessions');
  const statements: { sql: string; args: (string | number | null)[] }[] = [];
  const taken = new Set<number>();

  const addWorkshop = async (countryCode: string | null, createdBy: number, plan: Plan, names: { es: string; en: string }) => {
    const start = now - plan.startsDaysAgo * DAY;
    const sessionDays = Array.from({ length: plan.days }, (_, i) => dayText(start + i * DAY));
    const closedAt = plan.kind === 'closed' ? start + (plan.days + 2) * DAY : null;
    const created = start - 30 * DAY;
    const workshopId = workshopIds++;
    statements.push({
      sql: `INSERT INTO workshops (id, country_code, title_es, title_en, course_slug, mode, place, facilitators, capacity, starts_on, ends_on, state, attendance_rule_percent, requires_post_test, created_by, created_at, closed_at, closed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 80, 0, ?, ?, ?, ?)`,
      args: [workshopId, countryCode, plan.titleEs(names.es), plan.titleEn(names.en), plan.course.id, plan.mode, plan.mode === 'in_person' ? `Sala de capacitación del comité nacional, ${names.es}` : 'Videoconferencia', 'Equipo técnico del comité nacional', Math.max(plan.roster + 5, 25), sessionDays[0]!, sessionDays[sessionDays.length - 1]!, plan.kind, createdBy, created, closedAt, closedAt === null ? null : createdBy],
    });
    summary.workshops++;
    const sessionIds: number[] = [];
    for (const d of sessionDays) {
      const sessionId = sessionIdsNext++;
      sessionIds.push(sessionId);
      statements.push({ sql: 'INSERT INTO workshop_sessions (id, workshop_id, day, hours) VALUES (?, ?, ?, ?)', args: [sessionId, workshopId, d, HOURS_PER_DAY] });
    }
    if (countryCode === null) return;
    // The roster: the country's synthetic officials who never enrolled in the course, and are on no other roster — never
    // the named demo accounts, whose progress people (and the e2e journeys) expect to find as the demo left it.
    const people = (
      await client.execute({
        sql: `SELECT u.id, u.name, u.institution_id FROM users u
              WHERE u.country_code = ? AND u.role IN ('learner', 'specialist') AND u.active = 1 AND u.institution_id IS NOT NULL
                AND u.email_key LIKE ?
                AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.user_id = u.id AND e.course_id = ?)
                AND u.id NOT IN (SELECT value FROM json_each(?))
              ORDER BY u.id LIMIT ?`,
        args: [countryCode, `%@${SYNTHETIC_DOMAIN}`, plan.course.id, JSON.stringify([...taken]), plan.roster],
      })
    ).rows;
    const institutions = new Set<number>();
    for (const person of people) {
      const userId = Number(person.id);
      taken.add(userId);
      institutions.add(Number(person.institution_id));
      summary.participants++;
      // Most attend every day, some miss one, a few never come.
      const x = random();
      const daysPresent = plan.kind === 'planned' ? 0 : x < 0.8 ? plan.days : x < 0.93 ? plan.days - 1 : 0;
      const met = plan.kind === 'closed' && daysPresent * 100 >= 80 * plan.days;
      statements.push({ sql: 'INSERT INTO workshop_participants (workshop_id, user_id, added_by, added_at, credited_at) VALUES (?, ?, ?, ?, ?)', args: [workshopId, userId, createdBy, created + DAY, met ? closedAt : null] });
      if (plan.kind !== 'planned') {
        sessionIds.forEach((sessionId, i) => {
          statements.push({ sql: 'INSERT INTO workshop_attendance (session_id, user_id, present, recorded_by, recorded_at, client_id) VALUES (?, ?, ?, ?, ?, ?)', args: [sessionId, userId, i < daysPresent ? 1 : 0, createdBy, start + i * DAY + 3 * 3_600_000, `demo-${sessionId}-${userId}`] });
        });
      }
      if (met && closedAt !== null) {
        const id = enrolmentId++;
        statements.push({
          sql: `INSERT INTO enrolments (id, user_id, course_id, programme, cycle, country_code, institution_id, enrolled_at, started_at, completed_at, course_version, lessons_at_start, completed_via) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 'workshop')`,
          args: [id, userId, plan.course.id, plan.course.programme, countryCode, Number(person.institution_id), closedAt, closedAt, closedAt, plan.course.version, JSON.stringify(plan.course.lessons)],
        });
        const expires = plan.course.certificateValidityMonths ? Math.round(closedAt + plan.course.certificateValidityMonths * 30.44 * DAY) : null;
        statements.push({
          sql: `INSERT INTO certificates (id, code, user_id, enrolment_id, course_id, programme, course_version, holder_name, country_code, institution_id, issued_at, expires_at, course_minutes, delivery_mode, workshop_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          args: [certificateId++, code(), userId, id, plan.course.id, plan.course.programme, plan.course.version, String(person.name), countryCode, Number(person.institution_id), closedAt, expires, plan.days * HOURS_PER_DAY * 60, plan.mode === 'in_person' ? 'in_person' : 'online', workshopId],
        });
        summary.credited++;
      }
    }
    for (const institutionId of institutions) statements.push({ sql: 'INSERT INTO workshop_institutions (workshop_id, institution_id) VALUES (?, ?)', args: [workshopId, institutionId] });
  };

  for (const country of countries) {
    const countryCode = String(country.code);
    const committee = (await client.execute({ sql: "SELECT id FROM users WHERE role = 'committee' AND country_code = ? AND active = 1 ORDER BY id LIMIT 1", args: [countryCode] })).rows[0];
    const createdBy = Number((committee ?? coordinator).id);
    for (const plan of plans) await addWorkshop(countryCode, createdBy, plan, { es: String(country.name_es), en: String(country.name_en) });
  }
  await addWorkshop(null, Number(coordinator.id), { kind: 'planned', course: basico, mode: 'online_live', startsDaysAgo: -45, days: 2, roster: 0, titleEs: () => 'Encuentro regional de facilitadores del Básico', titleEn: () => 'Regional meeting of Basic course facilitators' }, { es: '', en: '' });
  // The workshops, their days, rosters, attendance, credited enrolments and certificates: one write transaction.
  if (statements.length > 0) await client.batch(statements as never, 'write');
  return summary;
}
