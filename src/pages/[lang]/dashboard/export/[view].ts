// Every dashboard view as CSV or XLSX: the same table the page shows. src/app/dashboard.ts (loadExport) asks the
// policy again (a crafted request for another country gets 403), and gives observers the protected aggregates of a
// closed semester whatever else the URL asks for. Who may read what is decided there, through the policy module.
import type { APIRoute } from 'astro';
import { loadExport } from '../../../../app/dashboard.ts';
import { isLocale, translate } from '../../../../i18n/index.ts';
import { toCsv, toXlsx, type ExportWords } from '../../../../server/reports/table.ts';

export const GET: APIRoute = async ({ params, url, locals }) => {
  const locale = isLocale(params.lang) ? params.lang : 'es';
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') return Response.json({ error: 'errors.invalidInput' }, { status: 400 });
  if (!locals.user) return Response.json({ error: 'errors.signInRequired' }, { status: 401 });
  const result = await loadExport(locals.user, locale, String(params.view), url.searchParams);
  if ('status' in result) return Response.json({ error: result.error }, { status: result.status });
  const { table, fileScope } = result;
  const name = `capacita-${table.id}-${fileScope.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`;
  const words: ExportWords = {
    percentHeader: (column) => translate(locale, 'dashboard.export.percentHeader', { column }),
    hiddenHeader: (column) => translate(locale, 'dashboard.export.hiddenHeader', { column }),
    hiddenValue: translate(locale, 'dashboard.export.hiddenValue'),
  };
  const headers = { 'Cache-Control': 'private, no-store' };
  if (format === 'xlsx') {
    return new Response((await toXlsx(table, words)) as Uint8Array<ArrayBuffer>, {
      headers: { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': `attachment; filename="${name}.xlsx"` },
    });
  }
  return new Response(toCsv(table, words), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` } });
};
