// Where a person goes after signing in: back to the page that asked them to sign in, when that is a page of this site,
// else the landing page of their role. The return path travels in the query string and a form field, so anyone can
// write one; only a same-origin path is followed (an open redirect would send a fresh session's owner to a look-alike).
import type { Locale, Role } from '../../../db/schema.ts';

const MAX_LENGTH = 1024;
// Pages a return would loop through or that end the session just started.
const NOT_A_RETURN = /^\/(es|en)\/(login|logout|register|two-factor)(\/|$|\?|#)/;

/**
 * The path itself when it is a path of this site's pages (/es/… or /en/…), else null: relative to the origin only — no
 * scheme, no `//host`, no backslash (browsers read `/\host` as `//host`), no control or space characters (stripped or
 * rewritten by browsers), no `..` segments.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return null;
  if (/%(2f|5c|2e)/i.test(value.split(/[?#]/)[0]!)) return null;
  if (!/^\/(es|en)(\/|$|\?|#)/.test(value)) return null;
  const path = value.split(/[?#]/)[0]!;
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  if (NOT_A_RETURN.test(value)) return null;
  // The URL parser agrees it stays on the origin (the checks above are the rule; this is the belt to their braces).
  const base = 'https://capacita.invalid';
  const parsed = new URL(value, base);
  if (parsed.origin !== base) return null;
  return value;
}

/** The sign-in page, carrying where to return (the path and query of the page that asked). */
export function signInPath(locale: Locale, returnTo: string): string {
  const back = safeReturnPath(returnTo);
  return `/${locale}/login${back ? `?next=${encodeURIComponent(back)}` : ''}`;
}

/** Committee members, the coordination and observers work from their dashboard; everyone else starts at their learning. */
export function landingPath(role: Role): '/dashboard' | '/learning' {
  return role === 'committee' || role === 'coordinator' || role === 'observer' ? '/dashboard' : '/learning';
}
