// The app's settings, read once from astro:env (schema in astro.config.mjs; every variable documented in .env.example).
import { CAPACITA_DEMO, CAPACITA_REQUIRE_2FA, PUBLIC_ORIGIN, TRUST_PROXY } from 'astro:env/server';

/** The demo run: demo accounts exist and a second factor is optional. */
export const demoMode = CAPACITA_DEMO === '1';

/** Committee, coordinator and admin accounts must use a second factor — by default everywhere but the demo. */
export const secondFactorRequired = CAPACITA_REQUIRE_2FA ? CAPACITA_REQUIRE_2FA === '1' : !demoMode;

/** Behind our own reverse proxy, the client address comes from X-Forwarded-For. */
export const trustProxy = TRUST_PROXY === '1';

/** The address people reach Capacita at (for links in e-mails and certificate QR codes); else the request's origin. */
export function publicOrigin(requestUrl: URL): string {
  return PUBLIC_ORIGIN ? PUBLIC_ORIGIN.replace(/\/$/, '') : requestUrl.origin;
}
