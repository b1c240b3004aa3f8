// The headers every response carries: pages and endpoints get them in src/middleware.ts, the static files of
// dist/client (/_astro/*, /h5p-player/*, the favicon), which @astrojs/node serves before any middleware runs, get them
// in scripts/serve.mjs. One list, so the two cannot drift apart. Plain erasable TypeScript: Node runs serve.mjs as is.

/** Pages carry Astro's own policy (script and style hashes, astro.config.mjs); everything else gets this one. */
export const FALLBACK_CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/** The headers, with the fallback policy first; over HTTPS also HSTS. */
export function securityHeaders(https: boolean): [name: string, value: string][] {
  const headers: [string, string][] = [
    ['Content-Security-Policy', FALLBACK_CONTENT_SECURITY_POLICY],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'SAMEORIGIN'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
  ];
  if (https) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  return headers;
}

/**
 * Whether a response must not be stored by the browser or any cache on the way: everything answered to a request that
 * carried a session cookie (signed-in pages show a person's name, progress, people's data) and everything that sets a
 * cookie. Public pages seen anonymously, and the static files, may be cached.
 */
export function mustNotBeStored(input: { sessionCookie: boolean; setsCookie: boolean }): boolean {
  return input.sessionCookie || input.setsCookie;
}
