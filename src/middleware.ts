import { defineMiddleware, sequence } from 'astro:middleware';
import { getDb } from './app/db.ts';
import { clientIp } from './app/request.ts';
import { deleteSessionTokenCookie, SESSION_COOKIE, setSessionTokenCookie } from './app/session-cookie.ts';
import { isLocale, localeFromAcceptLanguage } from './i18n/index.ts';
import { validateSessionToken } from './server/auth/session.ts';
import { ensureMailWorker, twoFactorRequiredFor } from './app/admin.ts';

/** Pages carry Astro's own policy (script and style hashes, astro.config.mjs); other responses get this one. */
const FALLBACK_CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

function applySecurityHeaders(headers: Headers, https: boolean): void {
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', FALLBACK_CONTENT_SECURITY_POLICY);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  headers.set('X-Frame-Options', 'SAMEORIGIN');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  if (https) headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

const securityHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  const https = context.url.protocol === 'https:';
  try {
    applySecurityHeaders(response.headers, https);
    return response;
  } catch {
    // Some responses (redirects, fetched assets) have immutable headers: answer with a copy.
    const copy = new Response(response.body, response);
    applySecurityHeaders(copy.headers, https);
    return copy;
  }
});

const locale = defineMiddleware((context, next) => {
  // /xx/… matches the [lang] routes; only the two languages exist.
  if (context.params.lang !== undefined && !isLocale(context.params.lang)) return context.rewrite('/404');
  const first = context.url.pathname.split('/')[1];
  context.locals.locale = isLocale(first) ? first : localeFromAcceptLanguage(context.request.headers.get('accept-language'));
  context.locals.ip = clientIp(context.request, context.clientAddress);
  return next();
});

const auth = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return next();
  const { session, user } = await validateSessionToken(getDb(), token);
  if (session) {
    setSessionTokenCookie(context.cookies, context.url, token, session.expiresAt);
    context.locals.user = user;
    context.locals.session = session;
  } else {
    deleteSessionTokenCookie(context.cookies, context.url);
  }
  return next();
});

/** Pages a signed-in person may reach before passing the second factor. */
const SECOND_FACTOR_PATHS = /^\/(es|en)\/(two-factor|two-factor\/setup|logout|privacy)\/?$/;

/**
 * After the password, a person with a second factor enrolled must enter a code before anything else; a role that
 * requires one but has not enrolled is sent to enrol.
 */
const secondFactor = defineMiddleware((context, next) => {
  const { user, session } = context.locals;
  if (!user || !session) return next();
  const path = context.url.pathname;
  if (SECOND_FACTOR_PATHS.test(path) || path === '/healthz' || path.startsWith('/_astro/')) return next();
  const lang = context.locals.locale;
  if (user.totpKey && !session.twoFactorVerified) return context.redirect(`/${lang}/two-factor`, 303);
  if (!user.totpKey && twoFactorRequiredFor(user.role)) return context.redirect(`/${lang}/two-factor/setup`, 303);
  return next();
});

/** The mail worker starts with the first request the server handles (and only in a server, never at build time). */
const mailWorker = defineMiddleware((_context, next) => {
  ensureMailWorker();
  return next();
});

export const onRequest = sequence(securityHeaders, locale, auth, secondFactor, mailWorker);
