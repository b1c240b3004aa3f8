// The demo workshops hold together: whoever holds a workshop's certificate is on its roster, met the 80 % rule on the
// recorded days, and got the course via the workshop exactly once; closed workshops only; a second run adds nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCourseCatalog } from '../../db/seed/course-catalog.ts';
import { generateDemoWorkshops } from '../../db/seed/demo-workshops.ts';
import { SYNTHETIC_DOMAIN } from '../../db/seed/synthetic.ts';
import { institutions, users } from '../../db/schema.ts';
import { tallyAttendance } from '../../src/server/workshops/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { eq } from 'drizzle-orm';

const NOW = Date.UTC(2026, 5, 1);

describe('demo workshops', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
    await t.db.insert(users).values({ name: 'Coordinación', email: 'c@demo.test', emailKey: 'c@demo.test', role: 'coordinator' });
    const gt = await t.db.select().from(institutions).where(eq(institutions.countryCode, 'GT'));
    // A named demo account (what people sign in with) first, then the generated officials.
    await t.db.insert(users).values({ name: 'Oficial Demo', email: 'oficial@demo.test', emailKey: 'oficial@demo.test', role: 'learner', countryCode: 'GT', institutionId: gt[0]!.id });
    await t.db.insert(users).values(Array.from({ length: 90 }, (_, i) => ({ name: `Persona ${i}`, email: `p${i}@${SYNTHETIC_DOMAIN}`, emailKey: `p${i}@${SYNTHETIC_DOMAIN}`, role: 'learner' as const, countryCode: 'GT', institutionId: gt[i % gt.length]!.id })));
  });
  afterEach(() => t.close());

  it('credit only those who met the rule, via the workshop, once, on closed workshops', async () => {
    const summary = await generateDemoWorkshops(t.db, readCourseCatalog(), { now: NOW });
    const q = async (sql: string) => (await t.db.$client.execute(sql)).rows;
    expect(summary.workshops).toBe(Number((await q('SELECT count(*) AS n FROM countries WHERE member = 1'))[0]!.n) * 4 + 1);
    expect(summary.credited).toBeGreaterThan(0);
    // The named demo accounts keep the progress the demo gave them: never on a roster, never credited by a workshop.
    expect(Number((await q("SELECT count(*) AS n FROM workshop_participants p JOIN users u ON u.id = p.user_id WHERE u.email_key = 'oficial@demo.test'"))[0]!.n)).toBe(0);
    const certs = await q(`SELECT c.user_id, c.workshop_id, c.delivery_mode, c.course_id, w.mode, w.state, w.attendance_rule_percent, e.completed_via, p.credited_at
      FROM certificates c JOIN workshops w ON w.id = c.workshop_id JOIN enrolments e ON e.id = c.enrolment_id
      LEFT JOIN workshop_participants p ON p.workshop_id = w.id AND p.user_id = c.user_id`);
    expect(certs).toHaveLength(summary.credited);
    for (const c of certs) {
      expect(c.state).toBe('closed');
      expect(c.completed_via).toBe('workshop');
      expect(c.credited_at).not.toBeNull();
      expect(c.delivery_mode).toBe(c.mode === 'in_person' ? 'in_person' : 'online');
      const sessions = (await q(`SELECT id, hours FROM workshop_sessions WHERE workshop_id = ${c.workshop_id}`)).map((s) => ({ id: Number(s.id), hours: Number(s.hours) }));
      const present = new Set((await q(`SELECT a.session_id FROM workshop_attendance a JOIN workshop_sessions s ON s.id = a.session_id WHERE s.workshop_id = ${c.workshop_id} AND a.user_id = ${c.user_id} AND a.present = 1`)).map((r) => Number(r.session_id)));
      expect(tallyAttendance(sessions, present, Number(c.attendance_rule_percent)).met).toBe(true);
    }
    // No one holds the same course twice, and no one is credited without a certificate here (nobody held it before).
    expect(await q('SELECT user_id, course_id FROM certificates GROUP BY user_id, course_id HAVING count(*) > 1')).toEqual([]);
    expect((await q('SELECT count(*) AS n FROM workshop_participants WHERE credited_at IS NOT NULL'))[0]!.n).toBe(summary.credited);
    expect(await generateDemoWorkshops(t.db, readCourseCatalog(), { now: NOW })).toEqual({ workshops: 0, participants: 0, credited: 0 });
  });
});
