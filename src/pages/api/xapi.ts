// POST /api/xapi — an H5P activity's top-level answered/completed statement, from the signed-in learner's browser.
// Only for an installed activity of a lesson in a course the learner is enrolled in (filed under that course, whatever
// the browser says), at most MAX_STATEMENTS_PER_ACTIVITY per learner and activity. Stored with the server's actor, id
// and time; best/last score updated; queued for the LRS when one is configured.
// Not an Action: the body is an xAPI statement in the standard's JSON, sent by the H5P player's own script, and there is
// no form behind it; the no-JavaScript answer to our own activity types is the activities.answer Action, which
// records through the same recordActivityStatement.
import type { APIRoute } from 'astro';
import { getDb } from '../../app/db.ts';
import { denyUnlessAllowed } from '../../app/guard.ts';
import { publicOrigin } from '../../app/config.ts';
import { readJsonBody } from '../../app/jsonBody.ts';
import { isLrsForwardingEnabled, kickLrsForwarding } from '../../app/lrsForwarding.ts';
import { accessRefusal, activityRefusal, checkActivityAccess } from '../../app/activityAccess.ts';
import { MAX_STATEMENTS_PER_ACTIVITY, recordActivityStatement } from '../../server/h5p/activityResults.ts';
import { isDomainError } from '../../server/errors.ts';
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
  const access = await checkActivityAccess(user.id, report.activityId, report.courseId);
  if (!access.ok) return accessRefusal(access, locals.locale);
  const stored = buildStoredStatement({ report: { ...report, courseId: access.courseId }, actor: { userId: user.id }, origin: publicOrigin() });
  try {
    const result = await recordActivityStatement(getDb(), {
      userId: user.id,
      activityId: report.activityId,
      courseId: access.courseId,
      countryCode: user.countryCode,
      stored,
      forward: isLrsForwardingEnabled(),
    });
    kickLrsForwarding();
    return Response.json({ id: stored.id, result }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    // The statement quota, answered with the player's wording (it names the limit).
    if (isDomainError(error) && error.code === 'tooMany') return activityRefusal(429, 'h5p.tooManyStatements', locals.locale, { max: MAX_STATEMENTS_PER_ACTIVITY });
    throw error;
  }
};
