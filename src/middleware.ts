import { defineMiddleware, sequence } from 'astro:middleware';
import { getDb } from './app/db.ts';
import { clientIp } from './app/request.ts';
import { deleteSessionTokenCookie, SESSION_COOKIE, setSessionTokenCookie } from './app/session-cookie.ts';
import { isLocale, localeFromAcceptLanguage } from './i18n/index.ts';
import { validateSessionToken } from './server/auth/session.ts';
import { gateSecondFactor, secondFactorState } from './server/auth/second-factor-gate.ts';
import { getActionContext } from 'astro:actions';
import { ensureMailWorker, twoFactorRequiredFor } from './app/admin.ts';
import { ensureQuizSweep } from './app/quiz-sweep.ts';
import { busySignal } from '../db/busy.ts';
import { mustNotBeStored, securityHeaders } from './server/http/security-headers.ts';
import { ACTION_BODY_LIMIT } from './app/body.ts';
import { logUnexpectedError } from './server/http/error-reference.ts';
import { isCrossSiteWrite, writeRequestOf } from './server/http/origin-check.ts';
import { publicOrigin } from './app/config.ts';
import { isSignedOneClickUnsubscribe } from './app/reminders.ts';
import { domainErrorResponse } from './app/domain-error.ts';
import { DomainError } from './server/errors.ts';
import { busyResponse, errorResponse, failedActionResult, responseForError, translateActionRefusal, wantsJson } from './app/errors.ts';

function applySecurityHeaders(headers: Headers, https: boolean, noStore: boolean): void {
  for (const [name, value] of securityHeaders(https)) {
    // A page's own policy (with its script and style hashes) stands; the fallback fills in for everything else.
    if (name !== 'Content-Security-Policy' || !headers.has(name)) headers.set(name, value);
  }
  if (noStore) headers.set('Cache-Control', 'no-store');
}

/** Every response carries the security headers; what a session sees (or sets a cookie) is never stored by a cache. */
const securityHeadersMiddleware = defineMiddleware(async (context, next) => {
  const response = await next();
  const https = context.url.protocol === 'https:';
  const noStore = mustNotBeStored({
    sessionCookie: context.cookies.has(SESSION_COOKIE),
    setsCookie: response.headers.has('set-cookie') || !context.cookies.headers().next().done,
  });
  try {
    applySecurityHeaders(response.headers, https, noStore);
    return response;
  } catch {
    // Some responses (redirects, fetched assets) have immutable headers: answer with a copy.
    const copy = new Response(response.body, response);
    applySecurityHeaders(copy.headers, https, noStore);
    return copy;
  }
});

const locale = defineMiddleware((context, next) => {
  // /xx/… matches the [lang] routes; only the two languages exist.
  if (context.params.lang !== undefined && !isLocale(context.params.lang)) return context.rewrite('/404');
  // The path before any rewrite: /en/courses/<unknown> rewrites to /404 and must still answer in English.
  const first = context.originPathname.split('/')[1];
  context.locals.locale = isLocale(first) ? first : localeFromAcceptLanguage(context.request.headers.get('accept-language'));
  context.locals.ip = clientIp(context.request, context.clientAddress);
  return next();
});

/**
 * Cross-site writes are refused before any Action or page runs (src/server/http/origin-check.ts; Astro's own
 * checkOrigin is off). Judged against the configured public origin, never the request's Host; the dev server is also
 * reached at whatever address it printed. The one exemption is a mail client's signed one-click unsubscribe.
 */
const originCheck = defineMiddleware(async (context, next) => {
  const { request, url, locals } = context;
  const accepted = import.meta.env.DEV ? [publicOrigin(), url.origin] : [publicOrigin()];
  if (!isCrossSiteWrite(writeRequestOf(request), accepted) || (await isSignedOneClickUnsubscribe(request, url))) return next();
  return errorResponse(403, 'errors.crossSite', locals.locale, wantsJson(request, url), 'common.forbidden.title');
});

/**
 * Failures that are nobody's fault answer as such: a database that stays busy → 503 + Retry-After (never 500); a body
 * that cannot be parsed → 400; a body too large for any route → 413; a form Action that failed answers with its
 * error status (4xx) while the page still shows the form with the translated messages.
 */
const resilience = defineMiddleware(async (context, next) => {
  const { request, url, locals } = context;
  const rpc = url.pathname.startsWith('/_actions/');
  const formAction = !rpc && url.searchParams.has('_action');
  const json = wantsJson(request, url);
  if (!rpc && !formAction && request.method !== 'GET' && request.method !== 'HEAD') {
    // Actions have security.actionBodySizeLimit; JSON endpoints read bodies through src/app/jsonBody.ts. This is the backstop.
    const declared = request.headers.get('content-length');
    if (declared && Number(declared) > ACTION_BODY_LIMIT) return errorResponse(413, 'errors.tooLarge', locals.locale, json);
  }
  const signal = { busy: false };
  let response: Response;
  try {
    response = await busySignal.run(signal, next);
  } catch (error) {
    // A page or endpoint that let a domain refusal through answers with its status and message, not a 500.
    if (error instanceof DomainError) return domainErrorResponse(error, locals.locale, json);
    const answer = responseForError(error, locals.locale, json, rpc || formAction);
    if (answer) return answer;
    // A real bug: logged once with the reference that src/pages/500.astro shows the person.
    locals.errorReference = logUnexpectedError(error, { method: request.method, path: url.pathname });
    throw error;
  }
  if (rpc && response.status >= 500) {
    if (signal.busy) return busyResponse(locals.locale, true);
    // The raw message of an unexpected error can hold SQL and its parameters: log it, never send it.
    console.error(`Action ${url.pathname} failed: ${(await response.clone().text()).slice(0, 2000)}`);
    return errorResponse(500, 'errors.unexpected', locals.locale, true);
  }
  if (rpc && response.status >= 400 && response.headers.get('content-type')?.includes('application/json')) {
    // Astro's own refusals (wrong content type, body too large, unknown Action) carry an English text or none.
    const translated = await translateActionRefusal(response, locals.locale);
    if (translated) return translated;
  }
  if (formAction && response.status === 200) {
    const failed = failedActionResult(locals);
    if (failed) {
      const status = failed.status >= 500 && signal.busy ? 503 : failed.status;
      const copy = new Response(response.body, { status, statusText: '', headers: response.headers });
      if (status === 503) copy.headers.set('Retry-After', '2');
      return copy;
    }
  }
  if (signal.busy && response.status >= 500) return busyResponse(locals.locale, json);
  return response;
});

const auth = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return next();
  const validation = await validateSessionToken(getDb(), token);
  if (validation.session) {
    // The cookie expires with the session: it is sent again only when the session was extended, not on every answer.
    if (validation.extended) setSessionTokenCookie(context.cookies, context.url, token, validation.session.expiresAt);
    context.locals.user = validation.user;
    context.locals.session = validation.session;
  } else {
    deleteSessionTokenCookie(context.cookies, context.url);
  }
  return next();
});

/** The route patterns of endpoints (the .ts files under src/pages: APIs, downloads), which a pending second factor refuses. */
const ENDPOINT_ROUTES = new Set(
  Object.keys(import.meta.glob('./pages/**/*.{ts,js}')).map((file) => file.replace(/^\.\/pages/, '').replace(/\.(ts|js)$/, '').replace(/\/index$/, '') || '/'),
);

/**
 * The second factor gates every path (src/server/auth/second-factor-gate.ts): a session that passed only the password
 * may enter the code (or enrol the factor its role requires), sign out and read the privacy page. Decided here,
 * before next(), because next() is where Astro runs an Action posted to any route.
 */
const secondFactor = defineMiddleware((context, next) => {
  const { user, session, locale: lang } = context.locals;
  if (!user || !session) return next();
  const state = secondFactorState(user, session, twoFactorRequiredFor(user.role));
  const decision = gateSecondFactor(state, {
    method: context.request.method,
    pathname: context.url.pathname,
    action: getActionContext(context).action?.name ?? null,
    endpoint: ENDPOINT_ROUTES.has(context.routePattern),
  });
  if (decision.kind === 'allow') return next();
  if (decision.kind === 'redirect') return context.redirect(`/${lang}${decision.to}`, 303);
  return errorResponse(decision.status, decision.message, lang, wantsJson(context.request, context.url), 'errors.secondFactorTitle');
});

/**
 * The mail worker and the sweep that closes timed-out quiz attempts start with the first request the server handles
 * (and only in a server, never at build time).
 */
const mailWorker = defineMiddleware((_context, next) => {
  ensureMailWorker();
  ensureQuizSweep();
  return next();
});

export const onRequest = sequence(securityHeadersMiddleware, locale, originCheck, resilience, auth, secondFactor, mailWorker);
