// The address written into links that leave the server — password resets, invitations, e-mail confirmations,
// certificate QR codes, xAPI ids. It comes from configuration only: a request's Host header is whatever the sender
// typed, and a reset link to a host of the attacker's choosing hands them the victim's account.
//
// Plain TypeScript without imports, so scripts/serve.mjs and scripts/start.mjs (run by Node directly) refuse to start
// with the same rule the app applies (src/app/config.ts publicOrigin()).

export interface OriginSettings {
  /** PUBLIC_ORIGIN: where people reach Capacita, e.g. https://capacita.example.org. */
  publicOrigin?: string | undefined;
  /** CAPACITA_DEMO=1: a demo on a local machine, where the listen address is the public one. */
  demo: boolean;
  /** HOST and PORT the server listens on (astro.config.mjs defaults: 127.0.0.1:4321). */
  host?: string | undefined;
  port?: string | number | undefined;
}

export type OriginResolution = { ok: true; origin: string } | { ok: false; problem: string };

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function parseOrigin(value: string): OriginResolution {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: `PUBLIC_ORIGIN is not a URL ("${value}"). Write the public address, e.g. PUBLIC_ORIGIN=https://capacita.example.org` };
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
    return { ok: false, problem: `PUBLIC_ORIGIN must be an http(s) origin without a path, e.g. https://capacita.example.org (got "${value}").` };
  }
  return { ok: true, origin: url.origin };
}

/** The origin for links, or why there is none: outside the demo PUBLIC_ORIGIN is required. */
export function resolvePublicOrigin({ publicOrigin, demo, host, port }: OriginSettings): OriginResolution {
  if (publicOrigin?.trim()) return parseOrigin(publicOrigin.trim());
  if (!demo) {
    return {
      ok: false,
      problem:
        'PUBLIC_ORIGIN is not set. Outside the demo (CAPACITA_DEMO=0) Capacita writes links in e-mails and certificate QR codes ' +
        'only to the configured public address, never to the one a request names: set PUBLIC_ORIGIN=https://<your address> ' +
        '(see docs/DEPLOYMENT.md).',
    };
  }
  // The demo's own listen address; a wildcard listen address is reached as localhost.
  const listen = host?.trim() || '127.0.0.1';
  const name = WILDCARD_HOSTS.has(listen) ? 'localhost' : listen.includes(':') && !listen.startsWith('[') ? `[${listen}]` : listen;
  return parseOrigin(`http://${name}:${String(port ?? '').trim() || '4321'}`);
}
