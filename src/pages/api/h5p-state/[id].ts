// GET/POST /api/h5p-state/<activity-id> — where the signed-in learner left an activity, so it resumes there.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { getDb } from '../../../app/db.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { readJsonBody } from '../../../app/jsonBody.ts';
import { kickLrsForwarding } from '../../../app/lrsForwarding.ts';
import { loadActivityState, MAX_STATE_BYTES, saveActivityState } from '../../../server/h5p/activityState.ts';
import { isValidPackageId } from '../../../server/h5p/h5pContentRoot.ts';

export const prerender = false;

const NO_STORE = { 'Cache-Control': 'no-store' };
const stateSchema = z.object({
  // The content type's getCurrentState() as JSON text; it must parse, and stays opaque to the server.
  state: z
    .string()
    .max(MAX_STATE_BYTES)
    .refine((text) => {
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
  if (!activityId) return Response.json({ error: 'errors.notFound' }, { status: 404, headers: NO_STORE });
  kickLrsForwarding();
  return Response.json({ state: await loadActivityState(getDb(), locals.user!.id, activityId) }, { headers: NO_STORE });
};

export const POST: APIRoute = async ({ params, locals, request, url }) => {
  const denied = denyUnlessAllowed(locals, 'learning.take');
  if (denied) return denied;
  const activityId = activityIdOf(params);
  if (!activityId) return Response.json({ error: 'errors.notFound' }, { status: 404, headers: NO_STORE });
  const body = await readJsonBody(request, url, stateSchema, MAX_STATE_BYTES + 1024);
  if (!body.ok) return body.response;
  await saveActivityState(getDb(), locals.user!.id, activityId, body.value.state);
  return new Response(null, { status: 204, headers: NO_STORE });
};
