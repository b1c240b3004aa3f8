// The certificate as a PDF download (holder only).
import type { APIRoute } from 'astro';
import { certificateDocument } from '../../../../app/certificate-view.ts';
import { getDb } from '../../../../app/db.ts';
import { certificatePdf, findCertificate } from '../../../../server/learning/index.ts';

export const GET: APIRoute = async ({ params, locals, url }) => {
  if (!locals.user) return new Response('Sign in required', { status: 401 });
  const cert = await findCertificate(getDb(), params.code);
  if (!cert || cert.userId !== locals.user.id) return new Response('Not found', { status: 404 });
  const paper = url.searchParams.get('paper') === 'letter' ? 'letter' : 'a4';
  const bytes = await certificatePdf(await certificateDocument(cert, locals.locale), paper);
  // The revision is in the file name: a corrected certificate does not overwrite the old download silently.
  const suffix = cert.revision > 1 ? `-r${cert.revision}` : '';
  return new Response(bytes as BodyInit, {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="capacita-${cert.code}${suffix}.pdf"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
