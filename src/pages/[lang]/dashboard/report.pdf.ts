// The semester report as a PDF: same access rules and tables as /dashboard/report (src/app/dashboard.ts).
import type { APIRoute } from 'astro';
import { loadSemesterReport } from '../../../app/dashboard.ts';
import { isLocale } from '../../../i18n/index.ts';
import { semesterPdf } from '../../../server/reports/pdf.ts';

export const GET: APIRoute = async ({ params, url, locals }) => {
  const locale = isLocale(params.lang) ? params.lang : 'es';
  if (!locals.user) return Response.json({ error: 'errors.signInRequired' }, { status: 401 });
  const query = new URLSearchParams(url.searchParams);
  if (!query.has('scope')) query.set('scope', 'region');
  const report = await loadSemesterReport(locals.user, locale, query);
  if (!report) return Response.json({ error: 'errors.forbidden' }, { status: 403 });
  const pdf = await semesterPdf(report.heading, report.period, report.tables, locale);
  const file = `capacita-informe-${report.semester.id}-${report.scopeValue.toLowerCase()}.pdf`;
  return new Response(pdf as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'private, no-store' } });
};
