// The largest request body the server takes. Actions are limited by security.actionBodySizeLimit in astro.config.mjs;
// the JSON endpoints by their own cap in src/app/jsonBody.ts; the middleware refuses anything declared larger than
// this before a route reads it.

/** The largest legitimate body: a spreadsheet upload for an import (admin). Mirrors astro.config.mjs. */
export const ACTION_BODY_LIMIT = 8 * 1024 * 1024;
