// A person's own data, as a JSON download (privacy: the right of access).
import type { APIRoute } from 'astro';
import { getDb } from '../../../app/db.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { exportPersonalData } from '../../../server/privacy.ts';

export const GET: APIRoute = async ({ locals }) => {
  const denied = denyUnlessAllowed(locals, 'account.privacy');
  if (denied) return denied;
  const data = await exportPersonalData(getDb(), locals.user!);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="capacita-my-data-${date}.json"`,
      'Cache-Control': 'no-store',
    },
  });
};
