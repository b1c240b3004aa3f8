// Reading the JSON body of a browser's fetch() to our API safely: same origin only (a cross-site page cannot post
// JSON without a CORS preflight we never answer, and Origin/Sec-Fetch-Site say where a request comes from), a size
// cap enforced while reading, and a zod schema.
import type { z } from 'astro/zod';
import { publicOrigin } from './config.ts';

export type JsonBodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

const fail = (status: number, error: string): { ok: false; response: Response } => ({
  ok: false,
  response: Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store' } }),
});

export function isSameOriginRequest(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin && origin !== publicOrigin()) return false;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin';
}

export async function readJsonBody<T>(request: Request, url: URL, schema: z.ZodType<T>, maxBytes: number): Promise<JsonBodyResult<T>> {
  if (!isSameOriginRequest(request, url)) return fail(403, 'errors.forbidden');
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return fail(415, 'errors.invalidInput');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return fail(413, 'errors.tooLarge');
  const text = await readTextUpTo(request, maxBytes);
  if (text === null) return fail(413, 'errors.tooLarge');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(400, 'errors.invalidInput');
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : fail(400, 'errors.invalidInput');
}

/** The body as text, or null as soon as it passes maxBytes (the rest is not read into memory). */
async function readTextUpTo(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
