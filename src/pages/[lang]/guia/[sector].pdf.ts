// One sector's sheet of the Guía as a PDF, in the page's language, with the referral route of ?country= (or the
// officer's own country). Public, like the page.
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { getReportingDb } from '../../../app/db.ts';
import { intlLocale, isLocale, translate } from '../../../i18n/index.ts';
import { guiaSheetPdf } from '../../../server/guia/guia-document.ts';
import { GUIA_SECTORS, filterIndicators, type GuiaIndicator, type GuiaSector } from '../../../server/guia/indicators.ts';
import { referralRoute } from '../../../server/guia/referral-route.ts';
import { OFFLINE_HEADER } from '../../../app/offline.ts';

const MAX_SHEETS = 64;
const sheets = new Map<string, Promise<Uint8Array>>();

export const GET: APIRoute = async ({ params, url, locals }) => {
  const locale = isLocale(params.lang) ? params.lang : 'es';
  const sector = GUIA_SECTORS.find((s) => s === params.sector) as GuiaSector | undefined;
  if (!sector) return new Response(translate(locale, 'guia.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const all = (await getCollection('guiaIndicators')).map((entry) => entry.data as GuiaIndicator).sort((a, b) => a.order - b.order);
  const country = url.searchParams.has('country') ? url.searchParams.get('country') : (locals.user?.countryCode ?? null);
  const route = await referralRoute(getReportingDb(), country, locale);
  const generatedOn = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date());
  // Embedding the font takes seconds on a busy machine; the same sheet (content cannot change under a built server)
  // is kept for the day, unless the national body's contacts change.
  const key = JSON.stringify([locale, sector, route, generatedOn]);
  let pdf = sheets.get(key);
  if (!pdf) {
    pdf = guiaSheetPdf({ locale, sector, indicators: filterIndicators(all, { sector }, locale), route, generatedOn });
    if (sheets.size >= MAX_SHEETS) sheets.delete(sheets.keys().next().value!);
    sheets.set(key, pdf);
    pdf.catch(() => sheets.delete(key));
  }
  const bytes = await pdf;
  const file = `${locale === 'es' ? 'guia-indicadores' : 'indicators-guide'}-${sector.replace('_', '-')}${route ? `-${route.countryCode.toLowerCase()}` : ''}.pdf`;
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'private, max-age=3600', [OFFLINE_HEADER]: 'own' },
  });
};
