// Every authorisation decision of Capacita is made here. Pages, Actions and endpoints ask `can(...)` or take their
// data scope from `countryScope(...)`; nothing else looks at a role.
import type { Role, SpecialistStatus } from '../../db/schema.ts';

export interface Actor {
  id: number;
  role: Role;
  countryCode: string | null;
  specialistStatus: SpecialistStatus;
  active: boolean;
}

export type Action =
  // learning
  | 'learning.take' // enrol, read lessons, take quizzes (course-specific rules live in enrolment.ts)
  | 'learning.requestSpecialist'
  | 'learning.placement' // the placement test that meets the Básico requirement for people trained elsewhere (officials)
  // monitoring
  | 'dashboard.view' // country dashboards with person-level views (names, lists)
  | 'dashboard.viewAggregates' // regional aggregates only, small cells suppressed
  | 'dashboard.viewRegion' // cross-country comparison with full figures
  | 'reports.exportPeople' // CSV/XLSX of named people (refreshers due)
  | 'quiz.itemAnalysis'
  // administration of a country
  | 'people.view'
  | 'people.manage' // deactivate, reactivate, change institution, invite, import
  | 'people.message' // send a templated reminder to the people of a list (refreshers due), throttled and audited
  | 'specialist.approve'
  | 'institution.manage'
  | 'targets.edit'
  | 'nationalBody.edit'
  | 'workshop.view' // a country's workshops: list, detail, roster and attendance (names)
  | 'workshop.manage' // create and edit workshops, their roster and attendance; close them (credit)
  // platform
  | 'user.changeRole'
  | 'certificate.revoke'
  | 'certificate.approveNameCorrection' // re-issue a certificate of the country with its holder's corrected name
  | 'audit.view'
  | 'mail.outbox.view'
  | 'xapi.export'
  // every signed-in person, about themselves
  | 'account.privacy' // download one's own data, ask for one's account to be erased
  | 'account.twoFactor' // enrol a second factor
  | 'account.rename' // correct one's own name
  | 'account.profile' // one's own position/duty station and the optional sex question
  | 'account.reminders' // turn one's own reminder e-mails on or off
  | 'certificate.requestNameCorrection' // ask for one's own certificate to carry the corrected name
  | 'workshop.ownAttendance' // see the workshops one is on the roster of, with one's own attendance
  | 'workshop.checkIn'; // record oneself present at a session by scanning its QR code (roster checked in src/server/checkin)

/** What a request is about: a country's data, or the whole region. */
export type Scope = { countryCode: string | null } | 'region';

const countryActions: ReadonlySet<Action> = new Set<Action>([
  'dashboard.view',
  'reports.exportPeople',
  'quiz.itemAnalysis',
  'people.view',
  'people.manage',
  'people.message',
  'specialist.approve',
  'institution.manage',
  'targets.edit',
  'nationalBody.edit',
  'certificate.approveNameCorrection',
  'workshop.view',
  'workshop.manage',
]);

const selfService: Action[] = ['account.privacy', 'account.twoFactor', 'account.rename', 'account.profile', 'account.reminders', 'certificate.requestNameCorrection', 'workshop.ownAttendance', 'workshop.checkIn'];

const grants: Record<Role, ReadonlySet<Action>> = {
  learner: new Set<Action>([...selfService, 'learning.take', 'learning.requestSpecialist', 'learning.placement']),
  specialist: new Set<Action>([...selfService, 'learning.take', 'learning.placement']),
  journalist: new Set<Action>([...selfService, 'learning.take']),
  committee: new Set<Action>([...selfService, 'learning.take', 'learning.placement', ...countryActions]),
  coordinator: new Set<Action>([
    ...selfService,
    'learning.take',
    'learning.placement',
    ...countryActions,
    'dashboard.viewAggregates',
    'dashboard.viewRegion',
    'audit.view',
    'xapi.export',
  ]),
  observer: new Set<Action>([...selfService, 'dashboard.viewAggregates']),
  admin: new Set<Action>([
    ...selfService,
    'learning.take',
    'learning.placement',
    ...countryActions,
    'dashboard.viewAggregates',
    'dashboard.viewRegion',
    'user.changeRole',
    'certificate.revoke',
    'audit.view',
    'mail.outbox.view',
    'xapi.export',
  ]),
};

/** Roles whose reach is every country; a committee member's reach is their own country. */
const regionalRoles: ReadonlySet<Role> = new Set<Role>(['coordinator', 'admin']);

export function can(actor: Actor | null | undefined, action: Action, scope: Scope = 'region'): boolean {
  if (!actor || !actor.active) return false;
  if (!grants[actor.role].has(action)) return false;
  if (regionalRoles.has(actor.role)) return true;
  if (!countryActions.has(action)) return true;
  // A country-scoped action by a committee member: only on their own country, never on "the region".
  return scope !== 'region' && actor.countryCode !== null && scope.countryCode === actor.countryCode;
}

export type CountryScope = { kind: 'all' } | { kind: 'country'; countryCode: string } | { kind: 'none' };

/** The countries whose data an actor may read for an action: the filter every scoped query applies. */
export function countryScope(actor: Actor | null | undefined, action: Action): CountryScope {
  if (!actor || !actor.active || !grants[actor.role].has(action)) return { kind: 'none' };
  if (regionalRoles.has(actor.role)) return { kind: 'all' };
  if (countryActions.has(action)) {
    return actor.countryCode ? { kind: 'country', countryCode: actor.countryCode } : { kind: 'none' };
  }
  return { kind: 'all' };
}

/** Whether the scope lets the actor see one country's rows. */
export function scopeIncludes(scope: CountryScope, countryCode: string | null): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return countryCode !== null && scope.countryCode === countryCode;
}

/** People may take the Especializado track only once their specialised-unit membership is approved. */
export function isApprovedSpecialist(actor: Pick<Actor, 'role' | 'specialistStatus'>): boolean {
  return actor.role === 'specialist' || actor.specialistStatus === 'approved';
}

/** Roles that see personal data of many people, and so must sign in with a second factor when it is required. */
export function requiresSecondFactor(role: Role): boolean {
  return role === 'committee' || role === 'coordinator' || role === 'admin';
}

/**
 * Roles that run the platform or a country (committee, coordinator, observer, admin). A committee may manage the
 * officials of its country, but another staff account only with `user.changeRole` (platform administrators).
 */
export function isStaffRole(role: Role): boolean {
  return role === 'committee' || role === 'coordinator' || role === 'observer' || role === 'admin';
}

/** Whether the actor may manage (deactivate, move, invite) a person with this role in this country. */
export function canManagePerson(actor: Actor | null | undefined, person: { role: Role; countryCode: string | null }): boolean {
  if (isStaffRole(person.role)) return can(actor, 'user.changeRole');
  return can(actor, 'people.manage', { countryCode: person.countryCode });
}
