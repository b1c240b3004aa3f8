// The semester report as a PDF: same access rules and tables as /dashboard/report.
import type { APIRoute } from 'astro';
import { getReportingDb } from '../../../app/db.ts';
import { reportNames, semesterAccess } from '../../../app/dashboard.ts';
import { isLocale, translate } from '../../../i18n/index.ts';
import { semesterPdf } from '../../../server/reports/pdf.ts';
import { parseSemester, semesterOf, semesterReport } from '../../../server/reports/semester.ts';
import { suppressSmallCells } from '../../../server/reports/table.ts';

export const GET: APIRoute = async ({ params, url, locals }) => {
  const locale = isLocale(params.lang) ? params.lang : 'es';
  if (!locals.user) return Response.json({ error: 'errors.signInRequired' }, { status: 401 });
  const scopeParam = url.searchParams.get('scope') ?? 'region';
  const access = semesterAccess(locals.user, scopeParam);
  if (!access) return Response.json({ error: 'errors.forbidden' }, { status: 403 });
  const now = Date.now();
  const semester = parseSemester(url.searchParams.get('semester')) ?? semesterOf(now);
  const db = getReportingDb();
  const names = await reportNames(db, locale);
  const report = await semesterReport(db, access.scope, semester, names, { now, byCountry: access.region, institutions: !access.suppressed });
  const tables = access.suppressed ? report.tables.map((x) => suppressSmallCells(x)) : report.tables;
  const scopeName = access.region ? translate(locale, 'dashboard.report.region') : names.country(scopeParam.toUpperCase());
  const date = new Intl.DateTimeFormat(locale === 'es' ? 'es-419' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  const title = translate(locale, 'dashboard.report.heading', { semester: semester.id, scope: scopeName });
  const subtitle = translate(locale, 'dashboard.report.period', { from: date.format(semester.start), to: date.format(semester.end - 1), date: date.format(now) });
  const pdf = await semesterPdf(title, subtitle, tables, locale);
  const file = `capacita-informe-${semester.id}-${access.region ? 'region' : scopeParam.toLowerCase()}.pdf`;
  return new Response(pdf as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'private, no-store' } });
};
