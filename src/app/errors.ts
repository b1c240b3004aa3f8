// How failures that are nobody's fault reach a person: a busy database is 503 + Retry-After with a translated text
// (never a 500), a body the framework could not parse is 400, and an Action's unexpected error never shows its raw
// message (which may hold SQL and parameters) to the client. Used by src/middleware.ts.
import { BUSY_RETRY_AFTER_SECONDS, isBusyError } from '../../db/busy.ts';
import { translate, type Locale, type MessageKey } from '../i18n/index.ts';

export function wantsJson(request: Request, url: URL): boolean {
  if (url.pathname.startsWith('/_actions/') || url.pathname.startsWith('/api/')) return true;
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A translated error answer: JSON shaped like an Action error for RPC/API callers, a small page for browsers. */
export function errorResponse(status: number, key: MessageKey, locale: Locale, json: boolean, titleKey: MessageKey = 'errors.unexpected'): Response {
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if (status === 503) headers.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  const message = translate(locale, key);
  if (json) {
    const code = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'CONTENT_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_SERVER_ERROR', 503: 'SERVICE_UNAVAILABLE' }[status] ?? 'BAD_REQUEST';
    return Response.json({ type: 'AstroActionError', code, status, error: key, message }, { status, headers });
  }
  headers.set('Content-Type', 'text/html; charset=utf-8');
  const title = translate(locale, titleKey);
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Capacita</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/${locale}/">Capacita</a></p></main></body></html>`;
  return new Response(html, { status, headers });
}

export function busyResponse(locale: Locale, json: boolean): Response {
  return errorResponse(503, 'errors.busy', locale, json, 'errors.busyTitle');
}

/** An exception that escaped a page, endpoint or Action body parsing, as an answer; null when it is a real bug. */
export function responseForError(error: unknown, locale: Locale, json: boolean, isAction: boolean): Response | null {
  if (isBusyError(error)) return busyResponse(locale, json);
  // Astro parses an Action's JSON body itself and lets a SyntaxError through (→ 500 without this).
  if (isAction && (error instanceof SyntaxError || error instanceof TypeError)) return errorResponse(400, 'errors.malformedBody', locale, json);
  return null;
}

/** The serialized result Astro keeps for a form Action (locals._actionPayload) when the Action failed. */
export function failedActionResult(locals: object): { status: number; message: string } | null {
  const payload = (locals as { _actionPayload?: { actionResult?: { type?: string; status?: number; body?: string } } })._actionPayload;
  const result = payload?.actionResult;
  if (result?.type !== 'error' || typeof result.status !== 'number') return null;
  let message = '';
  try {
    message = String((JSON.parse(result.body ?? '{}') as { message?: unknown }).message ?? '');
  } catch {
    // keep the status alone
  }
  return { status: result.status, message };
}

const REFUSAL_KEYS: Record<number, MessageKey> = {
  400: 'errors.invalidInput',
  401: 'errors.signInRequired',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedMediaType',
};

/**
 * An Action's 4xx JSON answer with a translated message where Astro left none or an English one of its own (413,
 * 415, 404 for an unknown Action); null when the Action's own message stands.
 */
export async function translateActionRefusal(response: Response, locale: Locale): Promise<Response | null> {
  const key = REFUSAL_KEYS[response.status];
  if (!key) return null;
  let body: Record<string, unknown>;
  try {
    body = (await response.clone().json()) as Record<string, unknown>;
  } catch {
    return null;
  }
  const own = typeof body.message === 'string' ? body.message : '';
  const astroOwn = response.status === 413 || response.status === 415 || (response.status === 404 && !own);
  if (own && !astroOwn) return null;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ ...body, message: translate(locale, key), error: key }), { status: response.status, headers });
}
