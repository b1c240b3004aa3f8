// GET /api/xapi/export?country=HN&course=basico-fundamentos&from=2026-01-01&to=2026-03-31
// The stored H5P statements as an xAPI 1.0.3 JSON array, for the regional coordination (policy: xapi.export).
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { getDb } from '../../../app/db.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { recordAudit } from '../../../server/audit.ts';
import { countryScope } from '../../../server/policy.ts';
import { streamStatementsAsJson } from '../../../server/h5p/exportStatements.ts';

export const prerender = false;

const DAY = 24 * 60 * 60 * 1000;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).transform((text) => new Date(`${text}T00:00:00Z`)).refine((d) => !Number.isNaN(d.getTime()));
const querySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  course: z.string().regex(/^[a-z0-9-]{1,80}$/).optional(),
  from: date.optional(),
  to: date.optional(),
});

export const GET: APIRoute = async ({ url, locals }) => {
  const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
  const denied = denyUnlessAllowed(locals, 'xapi.export', query.success && query.data.country ? { countryCode: query.data.country } : 'region');
  if (denied) return denied;
  if (!query.success) return Response.json({ error: 'errors.invalidInput' }, { status: 400 });
  const { country, course, from, to } = query.data;
  // Statements are personal data (by account id): every download is on the audit log.
  await recordAudit(getDb(), {
    actorId: locals.user!.id,
    action: 'xapi.export',
    countryCode: country ?? null,
    ip: locals.ip,
    after: { country: country ?? null, course: course ?? null, from: url.searchParams.get('from'), to: url.searchParams.get('to') },
  });
  const stream = streamStatementsAsJson(getDb(), {
    scope: countryScope(locals.user, 'xapi.export'),
    countryCode: country,
    courseId: course,
    from,
    // "to" is the last day included.
    to: to ? new Date(to.getTime() + DAY) : undefined,
  });
  const name = ['capacita-xapi', country, course, url.searchParams.get('from'), url.searchParams.get('to')].filter(Boolean).join('-');
  return new Response(stream, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.json"`,
      'X-Experience-API-Version': '1.0.3',
      'Cache-Control': 'no-store',
    },
  });
};
