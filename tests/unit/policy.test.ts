// The authorisation matrix: every role × action × (own country, other country, region). The expectations are written
// out here by hand, independently of the grants table in policy.ts, so a change there must be a deliberate change here.
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../db/schema.ts';
import { can, countryScope, isApprovedSpecialist, requiresSecondFactor, scopeIncludes, type Action, type Actor } from '../../src/server/policy.ts';

const OWN = 'GT';
const OTHER = 'HN';
type Where = 'own' | 'other' | 'region';
// Y = allowed in own country, other country and region; O = own country only; N = never.
type Cell = 'Y' | 'O' | 'N';

const MATRIX: Record<Action, Record<Role, Cell>> = {
  //                          learner specialist journalist committee coordinator observer admin
  'learning.take': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'learning.requestSpecialist': { learner: 'Y', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'N', observer: 'N', admin: 'N' },
  'learning.placement': { learner: 'Y', specialist: 'Y', journalist: 'N', committee: 'Y', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'dashboard.view': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'dashboard.viewAggregates': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'dashboard.viewRegion': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'reports.exportPeople': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'quiz.itemAnalysis': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'people.view': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'people.manage': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'people.message': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'specialist.approve': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'institution.manage': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'targets.edit': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'nationalBody.edit': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'user.changeRole': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'N', observer: 'N', admin: 'Y' },
  'certificate.revoke': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'N', observer: 'N', admin: 'Y' },
  'audit.view': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'mail.outbox.view': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'N', observer: 'N', admin: 'Y' },
  'xapi.export': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'N', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'account.privacy': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'account.twoFactor': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'account.rename': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'account.profile': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'account.reminders': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'certificate.requestNameCorrection': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'certificate.approveNameCorrection': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'workshop.view': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'workshop.manage': { learner: 'N', specialist: 'N', journalist: 'N', committee: 'O', coordinator: 'Y', observer: 'N', admin: 'Y' },
  'workshop.ownAttendance': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
  'workshop.checkIn': { learner: 'Y', specialist: 'Y', journalist: 'Y', committee: 'Y', coordinator: 'Y', observer: 'Y', admin: 'Y' },
};

function actor(role: Role, overrides: Partial<Actor> = {}): Actor {
  const regional = role === 'coordinator' || role === 'observer' || role === 'admin';
  return { id: 1, role, countryCode: regional ? null : OWN, specialistStatus: 'none', active: true, ...overrides };
}

function expected(cell: Cell, where: Where): boolean {
  if (cell === 'Y') return true;
  if (cell === 'N') return false;
  return where === 'own';
}

const scopes: Record<Where, Parameters<typeof can>[2]> = {
  own: { countryCode: OWN },
  other: { countryCode: OTHER },
  region: 'region',
};

describe('policy matrix', () => {
  for (const [action, row] of Object.entries(MATRIX) as [Action, Record<Role, Cell>][]) {
    for (const role of ROLES) {
      for (const where of ['own', 'other', 'region'] as Where[]) {
        it(`${role} ${expected(row[role], where) ? 'may' : 'may not'} ${action} (${where})`, () => {
          expect(can(actor(role), action, scopes[where])).toBe(expected(row[role], where));
        });
      }
    }
  }

  it('denies everything to nobody and to deactivated accounts', () => {
    for (const action of Object.keys(MATRIX) as Action[]) {
      expect(can(null, action)).toBe(false);
      expect(can(actor('admin', { active: false }), action)).toBe(false);
    }
  });

  it('gives a committee member without a country nothing country-scoped', () => {
    expect(can(actor('committee', { countryCode: null }), 'dashboard.view', { countryCode: OWN })).toBe(false);
    expect(countryScope(actor('committee', { countryCode: null }), 'people.view')).toEqual({ kind: 'none' });
  });
});

describe('countryScope', () => {
  it('limits a committee member to their own country', () => {
    const scope = countryScope(actor('committee'), 'dashboard.view');
    expect(scope).toEqual({ kind: 'country', countryCode: OWN });
    expect(scopeIncludes(scope, OWN)).toBe(true);
    expect(scopeIncludes(scope, OTHER)).toBe(false);
    expect(scopeIncludes(scope, null)).toBe(false);
  });
  it('opens every country to coordinator and admin', () => {
    expect(countryScope(actor('coordinator'), 'people.view')).toEqual({ kind: 'all' });
    expect(countryScope(actor('admin'), 'dashboard.view')).toEqual({ kind: 'all' });
  });
  it('gives observers no person-level scope at all', () => {
    for (const action of ['dashboard.view', 'people.view', 'reports.exportPeople', 'workshop.view', 'workshop.manage'] as Action[]) {
      expect(countryScope(actor('observer'), action)).toEqual({ kind: 'none' });
    }
    expect(countryScope(actor('observer'), 'dashboard.viewAggregates')).toEqual({ kind: 'all' });
  });
  it('leaves regional workshops (no country) to coordinator and admin', () => {
    expect(can(actor('committee'), 'workshop.manage', { countryCode: null })).toBe(false);
    expect(can(actor('committee'), 'workshop.view', { countryCode: null })).toBe(false);
    expect(can(actor('coordinator'), 'workshop.manage', { countryCode: null })).toBe(true);
    expect(can(actor('admin'), 'workshop.manage', { countryCode: null })).toBe(true);
  });
  it('gives learners no monitoring scope', () => {
    expect(countryScope(actor('learner'), 'dashboard.view')).toEqual({ kind: 'none' });
  });
});

describe('specialists and second factor', () => {
  it('counts approved membership or the specialist role', () => {
    expect(isApprovedSpecialist({ role: 'learner', specialistStatus: 'approved' })).toBe(true);
    expect(isApprovedSpecialist({ role: 'specialist', specialistStatus: 'none' })).toBe(true);
    expect(isApprovedSpecialist({ role: 'learner', specialistStatus: 'requested' })).toBe(false);
  });
  it('requires a second factor for roles that see many people', () => {
    expect(ROLES.filter(requiresSecondFactor)).toEqual(['committee', 'coordinator', 'admin']);
  });
});
