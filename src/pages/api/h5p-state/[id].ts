// GET/POST /api/h5p-state/<activity-id> — where the signed-in learner left an activity, so it resumes there. Only for
// an installed activity of a lesson in a course the learner is enrolled in (src/server/h5p/activityAccess.ts), and at
// most MAX_STATE_BYTES per learner and activity (one row, replaced on each save).
// Not an Action: the player's script reads this resource when an activity starts (a GET, which Actions do not answer)
// and replaces it with a `keepalive` fetch as the page is hidden; without JavaScript there is no player state to keep.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { getDb } from '../../../app/db.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { readJsonBody } from '../../../app/jsonBody.ts';
import { kickLrsForwarding } from '../../../app/lrsForwarding.ts';
import { accessRefusal, activityRefusal, checkActivityAccess } from '../../../app/activityAccess.ts';
import { isStateWithinQuota, loadActivityState, MAX_STATE_BYTES, saveActivityState } from '../../../server/h5p/activityState.ts';
import { isValidPackageId } from '../../../server/h5p/h5pContentRoot.ts';

export const prerender = false;

const NO_STORE = { 'Cache-Control': 'no-store' };
/** The state travels as a JSON string inside the JSON body: escaping its quotes can double it. */
const MAX_BODY_BYTES = 2 * MAX_STATE_BYTES + 1024;
const stateSchema = z.object({
  // The content type's getCurrentState() as JSON text; it must parse, and stays opaque to the server.
  state: z.string().refine((text) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }),
});

function activityIdOf(params: Record<string, string | undefined>): string | null {
  const id = params.id ?? '';
  return isValidPackageId(id) ? id : null;
}

export const GET: APIRoute = async ({ params, locals }) => {
  const denied = denyUnlessAllowed(locals, 'learning.take');
  if (denied) return denied;
  const activityId = activityIdOf(params);
  if (!activityId) return activityRefusal(404, 'h5p.activityUnavailable', locals.locale);
  const access = await checkActivityAccess(locals.user!.id, activityId);
  if (!access.ok) return accessRefusal(access, locals.locale);
  kickLrsForwarding();
  return Response.json({ state: await loadActivityState(getDb(), locals.user!.id, activityId) }, { headers: NO_STORE });
};

export const POST: APIRoute = async ({ params, locals, request, url }) => {
  const denied = denyUnlessAllowed(locals, 'learning.take');
  if (denied) return denied;
  const activityId = activityIdOf(params);
  if (!activityId) return activityRefusal(404, 'h5p.activityUnavailable', locals.locale);
  const access = await checkActivityAccess(locals.user!.id, activityId);
  if (!access.ok) return accessRefusal(access, locals.locale);
  const tooLarge = () => activityRefusal(413, 'h5p.stateTooLarge', locals.locale, { kb: MAX_STATE_BYTES / 1024 });
  const body = await readJsonBody(request, url, stateSchema, MAX_BODY_BYTES);
  if (!body.ok) return body.response.status === 413 ? tooLarge() : body.response;
  if (!isStateWithinQuota(body.value.state)) return tooLarge();
  await saveActivityState(getDb(), locals.user!.id, activityId, body.value.state);
  return new Response(null, { status: 204, headers: NO_STORE });
};
