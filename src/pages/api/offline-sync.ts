// POST /api/offline-sync — progress the signed-in learner made offline, sent by the service worker (public/sw.js) when
// the connection returns, and a facilitator's attendance marks, sent by the tick list's page. Same origin only,
// authorised like the Actions it stands for (learning.take for progress, workshop.manage on each mark's workshop,
// asked per item; a pending second factor is refused by the middleware's gate, as for every endpoint), applied once
// per item (src/server/offline/sync.ts), each answer with a translated reason when refused.
import type { APIRoute } from 'astro';
import { getDb } from '../../app/db.ts';
import { denyUnlessAllowed } from '../../app/guard.ts';
import { readJsonBody } from '../../app/jsonBody.ts';
import { offlineApplier } from '../../app/offline-sync.ts';
import { translate } from '../../i18n/index.ts';
import { countryScope } from '../../server/policy.ts';
import { offlineSyncRequestSchema, syncOfflineItems } from '../../server/offline/sync.ts';

export const prerender = false;

const MAX_BODY_BYTES = 256 * 1024;

export const POST: APIRoute = async ({ request, url, locals }) => {
  // Someone who may neither learn nor take any workshop's attendance (an observer) has nothing to send.
  const denied = countryScope(locals.user, 'workshop.manage').kind === 'none' ? denyUnlessAllowed(locals, 'learning.take') : null;
  if (denied) return denied;
  const user = locals.user!;
  const body = await readJsonBody(request, url, offlineSyncRequestSchema, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { learner, items } = body.value;
  // Items queued under another account on a shared device are never filed under this one.
  if (learner !== user.id) {
    return Response.json({ error: 'offline.sync.otherLearner', message: translate(locals.locale, 'offline.sync.otherLearner') }, { status: 409, headers: { 'Cache-Control': 'no-store' } });
  }
  const answers = await syncOfflineItems(getDb(), user.id, items, offlineApplier(user, locals.ip));
  return Response.json(
    { answers: answers.map((a) => (a.reason ? { ...a, message: translate(locals.locale, a.reason) } : a)) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
};
