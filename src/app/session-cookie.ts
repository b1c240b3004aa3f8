import type { AstroCookies } from 'astro';

export const SESSION_COOKIE = 'capacita_session';

/** Secure everywhere except plain-http localhost, where browsers would drop a Secure cookie. */
function isSecureContext(url: URL): boolean {
  return url.protocol === 'https:';
}

export function setSessionTokenCookie(cookies: AstroCookies, url: URL, token: string, expiresAt: Date): void {
  cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureContext(url),
    expires: expiresAt,
    path: '/',
  });
}

export function deleteSessionTokenCookie(cookies: AstroCookies, url: URL): void {
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: isSecureContext(url), maxAge: 0, path: '/' });
}
