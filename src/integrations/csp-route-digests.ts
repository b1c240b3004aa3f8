// Astro 7.3's renderer hashes, for the Content-Security-Policy header, every stylesheet and head script of a page's
// route on every request (fetch-state.js, createResult): one SubtleCrypto SHA-256 per item, each a trip through
// libuv's thread pool. What it hashes is fixed by the build — the route's entries in the manifest: an external
// stylesheet's (empty) text, an inlined one's CSS — so the same inputs give the same digests for the life of the
// process. This build-time transform keeps each digest once computed. The policy sent is byte for byte the same;
// only the repeated work goes (about a tenth of a signed-in lesson page's CPU time, issue 20).
//
// The transform matches Astro's own source text. When an upgrade changes it, the build stops here with a message
// instead of silently hashing again: look at createResult in astro/dist/core/fetch/fetch-state.js and adapt or drop
// this file.
import type { AstroIntegration } from 'astro';

/** The file of Astro's runtime that builds a page's render result, as Vite names it. */
const FETCH_STATE = /[\\/]astro[\\/]dist[\\/]core[\\/]fetch[\\/]fetch-state\.js$/;
const PER_REQUEST_DIGESTS = [
  'await generateCspDigest(style.children, cspAlgorithm)',
  'await generateCspDigest(script.children, cspAlgorithm)',
];

const MEMO = `
/* capacita:csp-route-digests — the digests of the route's own (build-fixed) styles and scripts, computed once. */
const capacitaRouteDigests = new Map();
function capacitaRouteDigest(data, algorithm) {
  const key = algorithm + "\\u0000" + data;
  let digest = capacitaRouteDigests.get(key);
  if (digest === undefined) {
    digest = generateCspDigest(data, algorithm);
    capacitaRouteDigests.set(key, digest);
  }
  return digest;
}
`;

/** fetch-state.js with the route digests memoised; throws when Astro's code no longer reads as expected. */
export function memoiseRouteDigests(source: string): string {
  let code = source;
  for (const call of PER_REQUEST_DIGESTS) {
    if (!code.includes(call)) throw new Error(`capacita:csp-route-digests: "${call}" not found in Astro's fetch-state.js (did Astro change? see src/integrations/csp-route-digests.ts)`);
    code = code.replaceAll(call, call.replace('generateCspDigest(', 'capacitaRouteDigest('));
  }
  return code + MEMO;
}

export default function cspRouteDigests(): AstroIntegration {
  return {
    name: 'capacita:csp-route-digests',
    hooks: {
      'astro:config:setup': ({ updateConfig, command }) => {
        // The dev server reloads styles as they are edited: it keeps hashing per request.
        if (command !== 'build') return;
        let transformed = false;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'capacita:csp-route-digests',
                enforce: 'pre',
                transform(code, id) {
                  if (!FETCH_STATE.test(id.split('?')[0]!)) return null;
                  transformed = true;
                  return { code: memoiseRouteDigests(code), map: null };
                },
                buildEnd(error) {
                  // The server build renders the pages; if it never loaded the file, the file moved.
                  if (!error && this.environment?.name === 'ssr' && !transformed) this.error('capacita:csp-route-digests: astro/dist/core/fetch/fetch-state.js was not part of the server build (did Astro change? see src/integrations/csp-route-digests.ts)');
                },
              },
            ],
          },
        });
      },
    },
  };
}
