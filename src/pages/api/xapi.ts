// POST /api/xapi — an H5P activity's top-level answered/completed statement, from the signed-in learner's browser.
// Stored with the server's actor, id and time; best/last score updated; queued for the LRS when one is configured.
import type { APIRoute } from 'astro';
import { getDb } from '../../app/db.ts';
import { denyUnlessAllowed } from '../../app/guard.ts';
import { publicOrigin } from '../../app/config.ts';
import { readJsonBody } from '../../app/jsonBody.ts';
import { isLrsForwardingEnabled, kickLrsForwarding } from '../../app/lrsForwarding.ts';
import { recordActivityStatement } from '../../server/h5p/activityResults.ts';
import { buildStoredStatement, xapiReportSchema } from '../../server/h5p/xapiStatement.ts';

export const prerender = false;

const MAX_BODY_BYTES = 32 * 1024;

export const POST: APIRoute = async ({ request, url, locals }) => {
  const denied = denyUnlessAllowed(locals, 'learning.take');
  if (denied) return denied;
  const user = locals.user!;
  const body = await readJsonBody(request, url, xapiReportSchema, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const report = body.value;
  const stored = buildStoredStatement({ report, actor: { userId: user.id }, origin: publicOrigin(url) });
  const result = await recordActivityStatement(getDb(), {
    userId: user.id,
    activityId: report.activityId,
    courseId: report.courseId ?? null,
    countryCode: user.countryCode,
    stored,
    forward: isLrsForwardingEnabled(),
  });
  kickLrsForwarding();
  return Response.json({ id: stored.id, result }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
};
