// Runs the LRS forwarding queue in the background when XAPI_LRS_* are configured: kicked after each recorded
// statement and then every minute while the server runs. A learner's request never waits for it.
import { XAPI_LRS_ENDPOINT, XAPI_LRS_PASSWORD, XAPI_LRS_USERNAME } from 'astro:env/server';
import { forwardPendingStatements, lrsConfigFrom } from '../server/h5p/forwardToLrs.ts';
import { getDb } from './db.ts';

const config = lrsConfigFrom({ XAPI_LRS_ENDPOINT, XAPI_LRS_USERNAME, XAPI_LRS_PASSWORD });
let running = false;
let timer: ReturnType<typeof setInterval> | undefined;

export function isLrsForwardingEnabled(): boolean {
  return config !== null;
}

export function kickLrsForwarding(): void {
  if (!config) return;
  timer ??= setInterval(kickLrsForwarding, 60_000).unref();
  if (running) return;
  running = true;
  forwardPendingStatements(getDb(), config)
    .then((report) => {
      if (report.failed) console.warn(`xAPI forwarding: ${report.failed} statement(s) will be retried`);
    })
    .catch((error: unknown) => console.error('xAPI forwarding failed:', error))
    .finally(() => {
      running = false;
    });
}
