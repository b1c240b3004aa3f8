import type { APIRoute } from 'astro';
import { getDb } from '../app/db.ts';

/** For load balancers and monitoring: is the app up, and does the database answer? */
export const GET: APIRoute = async () => {
  const started = performance.now();
  try {
    await getDb().$client.execute('SELECT 1');
    return Response.json({ status: 'ok', database: { status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10 } }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ status: 'degraded', database: { status: 'unavailable' } }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
};
