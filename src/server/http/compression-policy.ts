// Which responses scripts/serve.mjs compresses (gzip/brotli, via the `compression` package). A border post on a slow
// link pays for every byte: the H5P player alone is 160 KB of JavaScript uncompressed, 50 KB gzipped.
//
// Compressed: the static build (/_astro/, /h5p-player/, the favicon), H5P packages and libraries (/h5p/), and every
// response that may be cached — anonymous public pages such as the Guía. Not compressed: `no-store` responses, i.e.
// everything a signed-in session sees (src/server/http/security-headers.ts, mustNotBeStored). Those pages may hold a
// secret next to text a third party can influence (a second-factor secret, a name), and compressing them would let
// the response length leak it (BREACH). A signed-in lesson is small enough uncompressed (bench/weight.mjs).
const ALWAYS = ['/_astro/', '/h5p-player/', '/h5p/'];

export function mayCompress(path: string, cacheControl: string | undefined): boolean {
  if (ALWAYS.some((prefix) => path.startsWith(prefix)) || path === '/favicon.svg') return true;
  return !/\bno-store\b/i.test(cacheControl ?? '');
}
