// Cross-site request forgery: a page on another site can make a visitor's browser post a form (or a fetch with a
// "simple" content type) to Capacita with the visitor's cookie. Browsers name the page's origin in the Origin header
// of every such request, so a write is accepted only when that origin is Capacita's configured one (PUBLIC_ORIGIN,
// src/app/config.ts) — never the request's own Host, which the sender chooses (docs/SECURITY.md).
//
// The rule is Astro's `security.checkOrigin` (turned off in astro.config.mjs), judged against configuration, and
// also applied to JSON:
//  - GET, HEAD and OPTIONS never write, and pass;
//  - a form-like body (urlencoded, multipart, text/plain) or none at all needs Origin equal to an accepted origin —
//    a missing Origin is refused, as Astro refuses it;
//  - a JSON body needs the same when it carries an Origin; a browser always sends one on a cross-site request (and a
//    cross-site page cannot send JSON without a CORS preflight we never answer), so a request without one is not a
//    browser acting for someone;
//  - any other content type needs a preflight too, and passes as it does in Astro.
// The middleware applies it before any Action or page runs; its one exemption (the signed one-click unsubscribe) is
// decided there, by the code that can verify the signature.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_LIKE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export interface WriteRequest {
  method: string;
  /** The Content-Type header, or null. */
  contentType: string | null;
  /** The Origin header, or null. */
  origin: string | null;
}

/** True when the request writes and does not come from one of `accepted` (origins such as "https://capacita.example.org"). */
export function isCrossSiteWrite(request: WriteRequest, accepted: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const sameOrigin = request.origin !== null && accepted.includes(request.origin);
  const type = request.contentType?.toLowerCase() ?? null;
  if (type === null || FORM_LIKE.some((t) => type.includes(t))) return !sameOrigin;
  if (type.includes('application/json') || type.includes('+json')) return request.origin !== null && !sameOrigin;
  return false;
}

/** The request's Origin, Content-Type and method, as isCrossSiteWrite reads them. */
export function writeRequestOf(request: Request): WriteRequest {
  return { method: request.method, contentType: request.headers.get('content-type'), origin: request.headers.get('origin') };
}
