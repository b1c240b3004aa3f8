// The authorisation matrix of administration: every role × own/other country, through the domain functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates, ROLES, type Role } from '../../db/schema.ts';
import { listAudit } from '../../src/server/audit.ts';
import { commitImport, createImportPreview } from '../../src/server/admin/import.ts';
import { createInstitution, listInstitutions, setInstitutionActive, setInstitutionTargets, updateInstitution, updateNationalBody } from '../../src/server/admin/institutions.ts';
import { inviteUser } from '../../src/server/admin/invitations.ts';
import { changeInstitution, changeRole, decideSpecialistRequest, getPerson, listPeople, listSpecialistRequests, revokeCertificate, setUserActive } from '../../src/server/admin/people.ts';
import { can, type Action } from '../../src/server/policy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, institutionId, type TestActor } from './helpers/admin-people.ts';

const ORIGIN = 'http://capacita.test';
type Outcome = 'ok' | 'forbidden';

/** Country-scoped actions: committee on its own country; coordinator and admin everywhere; nobody else. */
function countryRule(role: Role, own: boolean): Outcome {
  if (role === 'coordinator' || role === 'admin') return 'ok';
  if (role === 'committee' && own) return 'ok';
  return 'forbidden';
}
const adminOnly = (role: Role): Outcome => (role === 'admin' ? 'ok' : 'forbidden');

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if ((error as { code?: string }).code === 'forbidden') return 'forbidden';
    throw error;
  }
}

describe('administration authorisation matrix', () => {
  let t: TestDatabase;
  const actors = new Map<Role, TestActor>();
  let counter = 0;
  const unique = () => `${++counter}`;

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const role of ROLES) {
      const regional = role === 'coordinator' || role === 'admin' || role === 'observer';
      actors.set(role, await createPerson(t.db, { role, countryCode: regional ? null : 'GT', institutionId: regional ? null : await institutionId(t.db, 'GT', 'MP') }));
    }
  });
  afterAll(() => t.close());

  const cases: { name: string; rule: (role: Role, own: boolean) => Outcome; run: (actor: TestActor, country: 'GT' | 'HN') => Promise<unknown> }[] = [
    { name: 'list institutions', rule: countryRule, run: (a, c) => listInstitutions(t.db, a, c) },
    { name: 'create institution', rule: countryRule, run: (a, c) => createInstitution(t.db, a, c, { name: `Nueva ${unique()}`, sectorCode: 'police' }) },
    {
      name: 'edit institution',
      rule: countryRule,
      run: async (a, c) => updateInstitution(t.db, a, await institutionId(t.db, c, 'MP'), { name: `Ministerio Público ${unique()}`, acronym: 'MP', sectorCode: 'prosecution' }),
    },
    { name: 'deactivate institution', rule: countryRule, run: async (a, c) => setInstitutionActive(t.db, a, (await createInstitution(t.db, actors.get('admin')!, c, { name: `Temp ${unique()}`, sectorCode: 'police' })).id, false) },
    { name: 'set targets', rule: countryRule, run: async (a, c) => setInstitutionTargets(t.db, a, await institutionId(t.db, c, 'MP'), { basico: 100 }) },
    { name: 'edit national body', rule: countryRule, run: (a, c) => updateNationalBody(t.db, a, c, { nameEs: 'Comisión', nameEn: 'Commission', hotline: '1510' }) },
    { name: 'list people', rule: countryRule, run: (a, c) => listPeople(t.db, a, { countryCode: c }).then((page) => { if (page.rows.some((r) => r.countryCode !== c)) throw new Error('scope leak'); }) },
    { name: 'view a person', rule: countryRule, run: async (a, c) => getPerson(t.db, a, (await createPerson(t.db, { role: 'learner', countryCode: c })).id) },
    { name: 'deactivate a person', rule: countryRule, run: async (a, c) => setUserActive(t.db, a, (await createPerson(t.db, { role: 'learner', countryCode: c })).id, false) },
    { name: 'change institution', rule: countryRule, run: async (a, c) => changeInstitution(t.db, a, (await createPerson(t.db, { role: 'learner', countryCode: c, institutionId: await institutionId(t.db, c, 'MP') })).id, await institutionId(t.db, c, c === 'GT' ? 'PNC' : 'PNH')) },
    { name: 'invite', rule: countryRule, run: async (a, c) => inviteUser(t.db, a, { name: 'Invitada', email: `inv${unique()}@x.test`, institutionId: await institutionId(t.db, c, 'MP'), role: 'learner', locale: 'es' }, { origin: ORIGIN }) },
    {
      name: 'import',
      rule: countryRule,
      run: async (a, c) => {
        const preview = await createImportPreview(t.db, a, { countryCode: c, fileName: 'x.csv', rows: [{ line: 2, name: 'Importada', email: `imp${unique()}@x.test`, institution: 'MP', role: '', specialist: '', language: '' }] });
        return commitImport(t.db, a, preview.batchId, { origin: ORIGIN });
      },
    },
    { name: 'list specialist requests', rule: countryRule, run: (a, c) => listSpecialistRequests(t.db, a, c).then((page) => { if (page.rows.some((r) => r.countryCode !== c)) throw new Error('scope leak'); }) },
    { name: 'approve specialist', rule: countryRule, run: async (a, c) => decideSpecialistRequest(t.db, a, (await createPerson(t.db, { role: 'learner', countryCode: c, specialistStatus: 'requested' })).id, { approve: true, reason: 'Unidad contra la trata' }, { origin: ORIGIN }) },
    { name: 'change role', rule: (role) => adminOnly(role), run: async (a, c) => changeRole(t.db, a, (await createPerson(t.db, { role: 'learner', countryCode: c })).id, 'specialist') },
    {
      name: 'revoke certificate',
      rule: (role) => adminOnly(role),
      run: async (a, c) => {
        const holder = await createPerson(t.db, { role: 'learner', countryCode: c });
        const [cert] = await t.db.insert(certificates).values({ code: `C${unique()}`, userId: holder.id, courseId: 'basico', programme: 'basico', holderName: 'X', countryCode: c, issuedAt: new Date() }).returning();
        return revokeCertificate(t.db, a, cert!.id, 'Fraude comprobado');
      },
    },
    { name: 'read the audit log', rule: (role) => (role === 'admin' || role === 'coordinator' ? 'ok' : 'forbidden'), run: (a, c) => listAudit(t.db, a, { countryCode: c }) },
  ];

  for (const c of cases) {
    for (const role of ROLES) {
      for (const country of ['GT', 'HN'] as const) {
        const own = country === 'GT';
        const expected = c.rule(role, own);
        it(`${c.name}: ${role} on ${own ? 'own' : 'other'} country → ${expected}`, async () => {
          expect(await outcome(() => c.run(actors.get(role)!, country))).toBe(expected);
        });
      }
    }
  }

  it('a committee member cannot manage staff accounts of their own country', async () => {
    const committee = actors.get('committee')!;
    const colleague = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    expect(await outcome(() => setUserActive(t.db, committee, colleague.id, false))).toBe('forbidden');
    expect(await outcome(() => inviteUser(t.db, committee, { name: 'Otro comité', email: `c${unique()}@x.test`, institutionId: 1, role: 'committee', locale: 'es' }, { origin: ORIGIN }))).toBe('forbidden');
  });

  it('policy: the platform-wide actions', () => {
    const platform: Record<string, Role[]> = {
      'user.changeRole': ['admin'],
      'certificate.revoke': ['admin'],
      'mail.outbox.view': ['admin'],
      'audit.view': ['coordinator', 'admin'],
      'account.privacy': [...ROLES],
      'account.twoFactor': [...ROLES],
    };
    for (const [action, allowed] of Object.entries(platform)) {
      for (const role of ROLES) expect(can(actors.get(role)!, action as Action), `${role} ${action}`).toBe(allowed.includes(role));
    }
    // Observers reach nothing personal, anywhere.
    for (const action of ['people.view', 'people.manage', 'specialist.approve', 'institution.manage', 'targets.edit', 'nationalBody.edit'] as Action[]) {
      expect(can(actors.get('observer')!, action, 'region')).toBe(false);
      expect(can(actors.get('observer')!, action, { countryCode: 'GT' })).toBe(false);
    }
  });
});
