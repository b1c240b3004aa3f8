// The audit log (with the page's filters) as a CSV download, streamed page by page.
import type { APIRoute } from 'astro';
import { getDb } from '../../../app/db.ts';
import { auditFilterFromQuery } from '../../../app/audit-filter.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { recordAudit, auditCsv } from '../../../server/audit.ts';

export const GET: APIRoute = async ({ locals, url }) => {
  const denied = denyUnlessAllowed(locals, 'audit.view');
  if (denied) return denied;
  const user = locals.user!;
  const filter = auditFilterFromQuery(url.searchParams);
  // Exporting the log is itself an administrative action.
  await recordAudit(getDb(), { actorId: user.id, action: 'audit.export', ip: locals.ip, after: { filter: Object.fromEntries(url.searchParams) } });
  const encoder = new TextEncoder();
  const chunks = auditCsv(getDb(), user, filter);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="capacita-audit-${date}.csv"`, 'Cache-Control': 'no-store' },
  });
};
