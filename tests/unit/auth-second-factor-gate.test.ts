// The rule of the second factor, over every Action the app defines (read from src/actions/, as the fuzz suite does, so
// a new Action is covered without touching this file) and every way a request can reach one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gateSecondFactor, secondFactorState, type GatedRequest, type SecondFactorState } from '../../src/server/auth/second-factor-gate.ts';

function actionNames(): string[] {
  const index = readFileSync('src/actions/index.ts', 'utf8');
  const imports = new Map([...index.matchAll(/import\s*\{\s*(\w+)\s*\}\s*from\s*'\.\/([\w-]+)\.ts'/g)].map((m) => [m[1]!, m[2]!]));
  const groups = (index.match(/export const server = \{([^}]*)\}/)?.[1] ?? '').split(',').map((s) => s.trim().split(':')[0]!.trim()).filter(Boolean);
  return groups.flatMap((group) => [...readFileSync(`src/actions/${imports.get(group) ?? group}.ts`, 'utf8').matchAll(/^\s+(\w+):\s*defineAction\(/gm)].map((m) => `${group}.${m[1]}`));
}

const ACTIONS = actionNames();
const page = (pathname: string, method = 'GET'): GatedRequest => ({ method, pathname, action: null, endpoint: false });
const rpc = (action: string): GatedRequest => ({ method: 'POST', pathname: `/_actions/${action}`, action, endpoint: false });
const form = (action: string, pathname: string): GatedRequest => ({ method: 'POST', pathname, action, endpoint: false });

describe('secondFactorState', () => {
  it('tells the four states apart', () => {
    expect(secondFactorState({ totpKey: null }, { twoFactorVerified: false }, false)).toBe('none');
    expect(secondFactorState({ totpKey: null }, { twoFactorVerified: false }, true)).toBe('enrolmentPending');
    // A factor enrolled voluntarily gates like a required one.
    expect(secondFactorState({ totpKey: 'k' }, { twoFactorVerified: false }, false)).toBe('codePending');
    expect(secondFactorState({ totpKey: 'k' }, { twoFactorVerified: false }, true)).toBe('codePending');
    expect(secondFactorState({ totpKey: 'k' }, { twoFactorVerified: true }, false)).toBe('passed');
  });
});

describe('gateSecondFactor', () => {
  it('finds the Action registry', () => {
    expect(ACTIONS.length).toBeGreaterThan(10);
    expect(ACTIONS).toEqual(expect.arrayContaining(['auth.signOut', 'account.verifyTwoFactor', 'account.enrolTwoFactor', 'account.eraseAccount']));
  });

  const allowed: Record<'codePending' | 'enrolmentPending', string[]> = {
    codePending: ['account.verifyTwoFactor', 'auth.signOut'],
    enrolmentPending: ['account.enrolTwoFactor', 'auth.signOut'],
  };

  for (const state of ['codePending', 'enrolmentPending'] as const) {
    it(`${state}: every other Action is refused, by RPC and by a form post to any route, exempt pages included`, () => {
      const exemptPages = ['/es/two-factor', '/es/two-factor/setup', '/en/privacy', '/es/logout', '/healthz', '/_astro/x.js', '/es/'];
      for (const action of ACTIONS) {
        const expected = allowed[state].includes(action) ? 'allow' : 'refuse';
        expect(gateSecondFactor(state, rpc(action)).kind, `rpc ${action}`).toBe(expected);
        for (const path of exemptPages) expect(gateSecondFactor(state, form(action, path)).kind, `form ${action} → ${path}`).toBe(expected);
      }
      // Unknown names and RPC paths without an Action are refused too.
      expect(gateSecondFactor(state, rpc('admin.nothing')).kind).toBe('refuse');
      expect(gateSecondFactor(state, { method: 'GET', pathname: '/_actions/auth.signOut', action: null, endpoint: false }).kind).toBe('refuse');
    });

    it(`${state}: endpoints and downloads are refused with 403 and a message, whatever the method`, () => {
      for (const pathname of ['/es/account/data.json', '/es/admin/audit.csv', '/api/xapi', '/api/h5p-state/x', '/es/certificates/ABC/pdf']) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
          const decision = gateSecondFactor(state, { method, pathname, action: null, endpoint: true });
          expect(decision, `${method} ${pathname}`).toEqual({ kind: 'refuse', status: 403, message: state === 'codePending' ? 'errors.secondFactorPending' : 'errors.secondFactorEnrolmentPending' });
        }
      }
    });

    it(`${state}: pages lead to the code; only the code, sign-out and privacy pages are shown`, () => {
      const own = state === 'codePending' ? '/es/two-factor' : '/es/two-factor/setup';
      for (const path of [own, '/es/logout', '/en/privacy', '/es/privacy/']) expect(gateSecondFactor(state, page(path)).kind, path).toBe('allow');
      for (const path of ['/es/admin', '/es/account', '/es/learning', '/en/', '/es/login', '/es/register']) {
        expect(gateSecondFactor(state, page(path)), path).toEqual({ kind: 'redirect', to: state === 'codePending' ? '/two-factor' : '/two-factor/setup' });
      }
      // A post to a page without an Action changes nothing it may do either.
      expect(gateSecondFactor(state, page('/es/privacy', 'POST')).kind).toBe('refuse');
      expect(gateSecondFactor(state, page('/healthz')).kind).toBe('allow');
    });
  }

  it('codePending may not reach the enrolment page (it would replace the factor it has not passed)', () => {
    expect(gateSecondFactor('codePending', page('/es/two-factor/setup'))).toEqual({ kind: 'redirect', to: '/two-factor' });
    expect(gateSecondFactor('codePending', rpc('account.enrolTwoFactor')).kind).toBe('refuse');
  });

  it('a session past the factor, or without one, is not held back', () => {
    for (const state of ['none', 'passed'] as SecondFactorState[]) {
      for (const action of ACTIONS) expect(gateSecondFactor(state, rpc(action)).kind).toBe('allow');
      expect(gateSecondFactor(state, { method: 'GET', pathname: '/es/account/data.json', action: null, endpoint: true }).kind).toBe('allow');
    }
  });
});
