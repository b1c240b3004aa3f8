// Every dashboard view as CSV or XLSX: the same table the page shows. The policy is asked here again (a crafted
// request for another country gets 403), and observers' exports are suppressed like their pages.
import type { APIRoute } from 'astro';
import { getReportingDb } from '../../../../app/db.ts';
import { regionAccess, reportNames } from '../../../../app/dashboard.ts';
import { denyUnlessAllowed } from '../../../../app/guard.ts';
import { isLocale } from '../../../../i18n/index.ts';
import { countryScope, type Action } from '../../../../server/policy.ts';
import { narrowScope, parseFilters } from '../../../../server/reports/scope.ts';
import { suppressSmallCells, toCsv, toXlsx } from '../../../../server/reports/table.ts';
import { buildView, REGION_VIEWS, VIEWS, type ViewId } from '../../../../server/reports/views.ts';

const COUNTRY_ACTION: Partial<Record<ViewId, Action>> = { 'refresher-people': 'reports.exportPeople', items: 'quiz.itemAnalysis', 'items-topics': 'quiz.itemAnalysis' };

export const GET: APIRoute = async ({ params, url, locals }) => {
  const locale = isLocale(params.lang) ? params.lang : 'es';
  const view = params.view as ViewId;
  if (!(VIEWS as readonly string[]).includes(view)) return Response.json({ error: 'errors.notFound' }, { status: 404 });
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') return Response.json({ error: 'errors.invalidInput' }, { status: 400 });
  const db = getReportingDb();
  const filters = parseFilters(url.searchParams);

  let table;
  let fileScope: string;
  if ((REGION_VIEWS as readonly string[]).includes(view)) {
    const denied = denyUnlessAllowed(locals, 'dashboard.viewAggregates');
    const access = regionAccess(locals.user);
    if (denied || !access) return denied ?? Response.json({ error: 'errors.forbidden' }, { status: 403 });
    const built = await buildView(db, view, access.scope, filters, await reportNames(db, locale));
    table = built && access.suppressed ? suppressSmallCells(built) : built;
    fileScope = 'region';
  } else {
    const countryCode = (url.searchParams.get('country') ?? '').toUpperCase();
    const action = COUNTRY_ACTION[view] ?? 'dashboard.view';
    const denied = denyUnlessAllowed(locals, action, { countryCode });
    if (denied) return denied;
    const scope = narrowScope(countryScope(locals.user, action), countryCode);
    if (!scope) return Response.json({ error: 'errors.forbidden' }, { status: 403 });
    if ((view === 'items' || view === 'items-topics') && !url.searchParams.get('course')) return Response.json({ error: 'errors.invalidInput' }, { status: 400 });
    table = await buildView(db, view, scope, filters, await reportNames(db, locale), { courseId: url.searchParams.get('course') ?? undefined });
    fileScope = countryCode;
  }
  if (!table) return Response.json({ error: 'errors.notFound' }, { status: 404 });
  const name = `capacita-${view}-${fileScope.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`;
  const headers = { 'Cache-Control': 'private, no-store' };
  if (format === 'xlsx') {
    return new Response((await toXlsx(table)) as Uint8Array<ArrayBuffer>, {
      headers: { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': `attachment; filename="${name}.xlsx"` },
    });
  }
  return new Response(toCsv(table), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` } });
};


