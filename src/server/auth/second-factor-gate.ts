// What a session may do before its second factor is passed. Written once, for every path a request can take: an
// Action (RPC at /_actions/<name> or a form post with ?_action=<name> to ANY route — Astro runs it inside next(),
// before the page, so exempting a path would exempt every Action posted to it), an endpoint (API, downloads) or a page.

/**
 * - `none`: no second factor is involved (none enrolled, none required) — the password is the whole sign-in.
 * - `passed`: a factor is enrolled and this session entered its code (or a recovery code).
 * - `codePending`: a factor is enrolled and this session has passed only the password.
 * - `enrolmentPending`: the role must use a second factor and none is enrolled yet.
 */
export type SecondFactorState = 'none' | 'passed' | 'codePending' | 'enrolmentPending';

export function secondFactorState(user: { totpKey: string | null }, session: { twoFactorVerified: boolean }, required: boolean): SecondFactorState {
  if (user.totpKey) return session.twoFactorVerified ? 'passed' : 'codePending';
  return required ? 'enrolmentPending' : 'none';
}

/** A half-signed-in session is one the gate holds back. */
export function isHalfSignedIn(state: SecondFactorState): state is 'codePending' | 'enrolmentPending' {
  return state === 'codePending' || state === 'enrolmentPending';
}

/** The Actions each pending state may run: pass the factor (or enrol the required one), or sign out. Nothing else. */
const ALLOWED_ACTIONS: Record<'codePending' | 'enrolmentPending', ReadonlySet<string>> = {
  codePending: new Set(['account.verifyTwoFactor', 'auth.signOut']),
  enrolmentPending: new Set(['account.enrolTwoFactor', 'auth.signOut']),
};

/** The pages (GET) each pending state may read, after the language prefix. */
const ALLOWED_PAGES: Record<'codePending' | 'enrolmentPending', ReadonlySet<string>> = {
  codePending: new Set(['two-factor', 'logout', 'privacy']),
  enrolmentPending: new Set(['two-factor/setup', 'logout', 'privacy']),
};

/** Where a pending state is sent when it asks for a page it may not read yet. */
export const SECOND_FACTOR_PAGE: Record<'codePending' | 'enrolmentPending', string> = {
  codePending: '/two-factor',
  enrolmentPending: '/two-factor/setup',
};

export interface GatedRequest {
  method: string;
  pathname: string;
  /** The Action the request runs (`group.name`), whether by RPC or by a form post to a page; null when none. */
  action: string | null;
  /** True when the route is an endpoint (API, download) rather than a page. */
  endpoint: boolean;
}

export type GateDecision =
  | { kind: 'allow' }
  | { kind: 'redirect'; to: string }
  | { kind: 'refuse'; status: 403; message: 'errors.secondFactorPending' | 'errors.secondFactorEnrolmentPending' };

/** What needs no one signed in: the health probe and the build's static files. */
const ALWAYS_OPEN = /^\/(healthz$|_astro\/)/;

/**
 * The one rule: a half-signed-in session may submit the code (or a recovery code) — or enrol the factor its role
 * requires —, sign out, and read the privacy page. Any other Action or endpoint is refused with 403; any other page
 * sends the person to the code (a browser that asks for a page should land where they can go on).
 */
export function gateSecondFactor(state: SecondFactorState, request: GatedRequest): GateDecision {
  if (!isHalfSignedIn(state)) return { kind: 'allow' };
  const refuse: GateDecision = {
    kind: 'refuse',
    status: 403,
    message: state === 'codePending' ? 'errors.secondFactorPending' : 'errors.secondFactorEnrolmentPending',
  };
  // The Action decides first: the path it was posted to says nothing about what it does.
  if (request.action !== null) return ALLOWED_ACTIONS[state].has(request.action) ? { kind: 'allow' } : refuse;
  if (request.pathname.startsWith('/_actions/')) return refuse;
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (reading && ALWAYS_OPEN.test(request.pathname)) return { kind: 'allow' };
  if (!reading || request.endpoint) return refuse;
  const page = request.pathname.match(/^\/(?:es|en)\/(.+?)\/?$/)?.[1];
  if (page !== undefined && ALLOWED_PAGES[state].has(page)) return { kind: 'allow' };
  return { kind: 'redirect', to: SECOND_FACTOR_PAGE[state] };
}
