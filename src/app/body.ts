// Reading a request body in an endpoint (not an Action: Actions are limited by security.actionBodySizeLimit in
// astro.config.mjs) with a size limit, so no endpoint can be made to buffer an unbounded upload. A body that is too
// large, unreadable or of the wrong type becomes a BodyError, which `bodyErrorResponse` turns into a translated 4xx.
import { translate, type Locale, type MessageKey } from '../i18n/index.ts';

/** The default for endpoints: an xAPI statement or a small JSON document. Pass a bigger limit where one is needed. */
export const ENDPOINT_BODY_LIMIT = 256 * 1024;
/** Actions: the largest legitimate Action body is a spreadsheet upload for an import (admin). Mirrors astro.config.mjs. */
export const ACTION_BODY_LIMIT = 8 * 1024 * 1024;

export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  readonly key: MessageKey;
  constructor(status: 400 | 413 | 415, key: MessageKey) {
    super(key);
    this.status = status;
    this.key = key;
    this.name = 'BodyError';
  }
}

/** The body's bytes, refusing (413) as soon as more than `limit` bytes arrive — before reading them when declared. */
export async function readBodyBytes(request: Request, limit = ENDPOINT_BODY_LIMIT): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limit)) {
    throw new BodyError(/^\d+$/.test(declared) ? 413 : 400, /^\d+$/.test(declared) ? 'errors.tooLarge' : 'errors.malformedBody');
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new BodyError(413, 'errors.tooLarge');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    throw new BodyError(400, 'errors.malformedBody');
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A JSON body (any JSON value: validate it with zod next). Wrong type → 415, bad JSON or bad UTF-8 → 400. */
export async function readJsonBody(request: Request, limit = ENDPOINT_BODY_LIMIT): Promise<unknown> {
  const type = mediaType(request);
  if (type !== 'application/json' && !type.endsWith('+json')) throw new BodyError(415, 'errors.unsupportedMediaType');
  const bytes = await readBodyBytes(request, limit);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BodyError(400, 'errors.malformedBody');
  }
}

/** A urlencoded or multipart form body. */
export async function readFormBody(request: Request, limit = ENDPOINT_BODY_LIMIT): Promise<FormData> {
  const type = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') throw new BodyError(415, 'errors.unsupportedMediaType');
  const bytes = await readBodyBytes(request, limit);
  try {
    const copy = new Request('http://localhost/', { method: 'POST', headers: { 'content-type': request.headers.get('content-type')! }, body: bytes });
    return await copy.formData();
  } catch {
    throw new BodyError(400, 'errors.malformedBody');
  }
}

/** The JSON answer for a BodyError; anything else is re-thrown. */
export function bodyErrorResponse(error: unknown, locale: Locale): Response {
  if (!(error instanceof BodyError)) throw error;
  return Response.json({ error: error.key, message: translate(locale, error.key) }, { status: error.status });
}
