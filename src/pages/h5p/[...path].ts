// Serves H5P packages and libraries from content/h5p to the player: /h5p/<id>/h5p.json, /h5p/<id>/content/…,
// /h5p/libraries/<Machine.Name-x.y>/…. Only allowed file types, with their content types and cache validators.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { defaultH5PRoot } from '../../server/h5p/h5pContentRoot.ts';
import { resolvePackageFile } from '../../server/h5p/resolvePackageFile.ts';

export const prerender = false;

const root = defaultH5PRoot();

export const GET: APIRoute = ({ params, request }) => {
  const file = resolvePackageFile(root, params.path ?? '');
  if (!file) return Response.json({ error: 'errors.notFound' }, { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const etag = `W/"${file.size.toString(36)}-${Math.floor(file.modifiedAt).toString(36)}"`;
  const headers = new Headers({
    'Content-Type': file.contentType,
    ETag: etag,
    // Library folders change only when a new patch version is imported; a package's content may be edited any time.
    'Cache-Control': file.isLibraryFile ? 'public, max-age=3600, stale-while-revalidate=86400' : 'public, no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  // An SVG opened directly must not run scripts on our origin.
  if (file.contentType.startsWith('image/svg')) headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(file.size));
  return new Response(Readable.toWeb(createReadStream(file.absolutePath)) as ReadableStream, { headers });
};
