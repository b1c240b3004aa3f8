// Commits a staged import and streams its progress as NDJSON lines ({"done":n} … {"result":{…}}), for the progress
// bar of the import page. The same domain call as the Action behind the no-JavaScript form (admin.importCommit); an
// endpoint because an Action answers once at the end, and a commit of thousands of rows needs to say how far it got.
import type { APIRoute } from 'astro';
import { deliverMailSoon, publicOrigin } from '../../../../../app/admin.ts';
import { getDb } from '../../../../../app/db.ts';
import { translate } from '../../../../../i18n/index.ts';
import { DomainError } from '../../../../../server/errors.ts';
import { commitImport } from '../../../../../server/admin/import.ts';

export const POST: APIRoute = async ({ params, locals }) => {
  const user = locals.user;
  if (!user) return Response.json({ error: 'errors.signInRequired' }, { status: 401 });
  const batchId = Number(params.id);
  if (!Number.isInteger(batchId) || batchId <= 0) return Response.json({ error: 'errors.notFound' }, { status: 404 });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (value: unknown) => controller.enqueue(encoder.encode(JSON.stringify(value) + '\n'));
      let last = -1;
      try {
        const result = await commitImport(getDb(), user, batchId, {
          origin: publicOrigin(),
          ip: locals.ip,
          onProgress: (done) => {
            if (done !== last) send({ done });
            last = done;
          },
        });
        if (result.ok) {
          deliverMailSoon();
          send({ result: { ok: true, created: result.created, alreadyImported: result.alreadyImported } });
        } else {
          send({ result: { ok: false, message: translate(locals.locale, 'admin.import.fixErrorsFirst') } });
        }
      } catch (error) {
        const key = error instanceof DomainError ? error.key : 'errors.unexpected';
        if (!(error instanceof DomainError)) console.error(error);
        send({ result: { ok: false, message: translate(locals.locale, key as 'errors.unexpected') } });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } });
};
