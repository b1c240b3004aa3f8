// The cross-site write rule the middleware applies (src/server/http/origin-check.ts): Astro's checkOrigin, judged
// against the configured origin instead of the request's Host, and applied to JSON that names another origin.
import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite, writeRequestOf } from '../../src/server/http/origin-check.ts';

const OURS = 'https://capacita.example.org';
const accepted = [OURS];
const check = (method: string, contentType: string | null, origin: string | null) => isCrossSiteWrite({ method, contentType, origin }, accepted);

describe('isCrossSiteWrite', () => {
  it('lets reads through whatever they carry', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) expect(check(method, 'application/x-www-form-urlencoded', 'https://evil.example'), method).toBe(false);
  });

  it('refuses a form-like write from another origin, or with no Origin at all', () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8', 'Application/X-WWW-Form-Urlencoded']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expect(check(method, type, 'https://evil.example'), `${method} ${type}`).toBe(true);
        expect(check(method, type, null), `${method} ${type} without Origin`).toBe(true);
        expect(check(method, type, OURS), `${method} ${type} same origin`).toBe(false);
      }
    }
  });

  it('judges against the configured origin, not the address a request names', () => {
    // A forged Host makes the request URL http://evil.example; a matching Origin passed Astro's check.
    expect(check('POST', 'application/x-www-form-urlencoded', 'http://evil.example:4329')).toBe(true);
    expect(check('POST', 'application/x-www-form-urlencoded', 'http://capacita.example.org')).toBe(true); // scheme differs
    expect(check('POST', 'application/x-www-form-urlencoded', 'https://capacita.example.org:8443')).toBe(true); // port differs
    expect(check('POST', 'application/x-www-form-urlencoded', 'null')).toBe(true); // sandboxed frame, data: URL
  });

  it('refuses a write without a content type unless it is same-origin', () => {
    expect(check('POST', null, null)).toBe(true);
    expect(check('POST', null, 'https://evil.example')).toBe(true);
    expect(check('POST', null, OURS)).toBe(false);
  });

  it('refuses JSON that names another origin, and lets JSON without an Origin through', () => {
    expect(check('POST', 'application/json', 'https://evil.example')).toBe(true);
    expect(check('POST', 'application/merge-patch+json', 'https://evil.example')).toBe(true);
    expect(check('POST', 'application/json', OURS)).toBe(false);
    expect(check('POST', 'application/json', null)).toBe(false);
  });

  it('lets content types that need a preflight through, as Astro does', () => {
    expect(check('POST', 'application/xml', 'https://evil.example')).toBe(false);
  });

  it('accepts any of several origins (the dev server)', () => {
    expect(isCrossSiteWrite({ method: 'POST', contentType: 'application/x-www-form-urlencoded', origin: 'http://localhost:4321' }, [OURS, 'http://localhost:4321'])).toBe(false);
  });

  it('reads method, Content-Type and Origin from a Request', () => {
    const request = new Request(`${OURS}/es/login?_action=auth.signIn`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(writeRequestOf(request)).toEqual({ method: 'POST', contentType: 'application/x-www-form-urlencoded', origin: 'https://evil.example' });
    expect(isCrossSiteWrite(writeRequestOf(request), accepted)).toBe(true);
  });
});
