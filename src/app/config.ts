// The app's settings, read once from astro:env (schema in astro.config.mjs; every variable documented in .env.example).
import { CAPACITA_DEMO, CAPACITA_REQUIRE_2FA, HOST, PORT, PUBLIC_ORIGIN, SECURITY_CONTACT, TRUST_PROXY } from 'astro:env/server';
import { resolvePublicOrigin } from '../server/auth/public-origin.ts';
import { resolveSecurityContact, type SecurityContact } from '../server/security-contact.ts';

/** The demo run: demo accounts exist and a second factor is optional. */
export const demoMode = CAPACITA_DEMO === '1';

/** Committee, coordinator and admin accounts must use a second factor — by default everywhere but the demo. */
export const secondFactorRequired = CAPACITA_REQUIRE_2FA ? CAPACITA_REQUIRE_2FA === '1' : !demoMode;

/** Behind our own reverse proxy, the client address comes from X-Forwarded-For. */
export const trustProxy = TRUST_PROXY === '1';

const origin = resolvePublicOrigin({ publicOrigin: PUBLIC_ORIGIN, demo: demoMode, host: HOST, port: PORT });

/**
 * The address people reach Capacita at, for every link that leaves the server (e-mails, certificate QR codes, xAPI
 * ids): PUBLIC_ORIGIN, or in the demo the listen address (HOST:PORT) — never the request's Host header. Outside the
 * demo scripts/serve.mjs refuses to start without PUBLIC_ORIGIN; a server started some other way fails here instead
 * of writing a link to an address someone else chose.
 */
export function publicOrigin(): string {
  if (!origin.ok) throw new Error(origin.problem);
  return origin.origin;
}

/** Where to report a security weakness (SECURITY_CONTACT), or null when the deployment has not published one. */
export function securityContact(): SecurityContact {
  return resolveSecurityContact(SECURITY_CONTACT);
}
