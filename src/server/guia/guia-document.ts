// One sector's sheet of the Guía de Indicadores de Sospecha as a printable PDF (A4): the victim indicators, then the
// persons at risk, each with the next step it calls for (written out once per step at the end, numbered, so the
// sheet stays short), the sources, and the national referral route of the chosen country. Set in the platform's
// Unicode font (src/server/pdf/unicode-fonts.ts).
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { intlLocale, translate, type Locale, type MessageKey } from '../../i18n/index.ts';
import { embedUnicodeFonts, wrapText } from '../pdf/unicode-fonts.ts';
import type { GuiaIndicator, GuiaSector, GuiaSource } from './indicators.ts';
import type { ReferralRoute } from './referral-route.ts';

export interface GuiaSheet {
  locale: Locale;
  sector: GuiaSector;
  indicators: readonly GuiaIndicator[];
  route: ReferralRoute | null;
  generatedOn: string; // formatted date
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.106, 0.122, 0.141);
const MUTED = rgb(0.29, 0.333, 0.376);
const BRAND = rgb(0.043, 0.31, 0.541);

export function sourceLabel(source: GuiaSource): string {
  return [`${source.publisher}, ${source.title}`, source.year, source.detail].filter(Boolean).join(', ');
}

export async function guiaSheetPdf(sheet: GuiaSheet): Promise<Uint8Array> {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(sheet.locale, key, params);
  const sectorName = t(`guia.sector.${sheet.sector}` as MessageKey);
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${t('guia.title')} — ${sectorName}`);
  pdf.setAuthor('Capacita');
  pdf.setLanguage(intlLocale(sheet.locale));
  const { regular, bold } = await embedUnicodeFonts(pdf);

  const [width, height] = A4;
  const textWidth = width - 2 * MARGIN;
  let page: PDFPage = pdf.addPage(A4);
  let y = height - MARGIN;

  const write = (text: string, options: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; indent?: number; after?: number } = {}) => {
    const { font = regular, size = 10, color = INK, indent = 0, after = 2 } = options;
    for (const line of wrapText(font, text, size, textWidth - indent)) {
      if (y - size < MARGIN + 14) {
        page = pdf.addPage(A4);
        y = height - MARGIN;
      }
      page.drawText(line, { x: MARGIN + indent, y: y - size, size, font, color });
      y -= size * 1.35;
    }
    y -= after;
  };

  write(t('guia.title'), { font: bold, size: 18, color: BRAND, after: 2 });
  write(sectorName, { font: bold, size: 14, after: 6 });
  write(t('guia.lead'), { size: 9.5, color: MUTED, after: 10 });

  // Next steps are numbered in the order they first appear, and written out once after the indicators.
  const steps = new Map<string, { number: number; indicator: GuiaIndicator }>();
  for (const indicator of sheet.indicators) if (!steps.has(indicator.action.id)) steps.set(indicator.action.id, { number: steps.size + 1, indicator });

  for (const kind of ['victim', 'risk'] as const) {
    const group = sheet.indicators.filter((indicator) => indicator.kind === kind);
    if (group.length === 0) continue;
    write(t(`guia.kind.${kind}`), { font: bold, size: 13, color: BRAND, after: 4 });
    for (const indicator of group) {
      const step = steps.get(indicator.action.id)!;
      write(`•  ${indicator.text[sheet.locale]}`, { font: bold, size: 10.5, after: 1 });
      write(`${t('guia.whatToDo')} (${step.number}): ${indicator.action.title[sheet.locale]}`, { size: 9.5, indent: 12, after: 1 });
      write(`${t('guia.source')}: ${indicator.sources.map(sourceLabel).join('; ')}`, { size: 8, color: MUTED, indent: 12, after: 6 });
    }
    y -= 4;
  }

  write(t('guia.whatToDo'), { font: bold, size: 13, color: BRAND, after: 4 });
  for (const { number, indicator } of steps.values()) {
    write(`${number}. ${indicator.action.title[sheet.locale]}`, { font: bold, size: 10.5, after: 1 });
    write(indicator.action.steps[sheet.locale], { size: 9.5, indent: 12, after: 6 });
  }

  write(t('guia.routeTitle'), { font: bold, size: 13, color: BRAND, after: 4 });
  write(t('guia.routeIntro'), { size: 9.5, after: 4 });
  const route = sheet.route;
  if (!route) write(t('guia.routeChoose'), { size: 10 });
  else {
    write(`${route.country} — ${t('guia.routeBody')}: ${route.body}`, { font: bold, size: 10.5 });
    if (route.hotline) write(`${t('guia.routeHotline')}: ${route.hotline}`, { size: 10.5 });
    if (route.referralContact) write(`${t('guia.routeContact')}: ${route.referralContact}`, { size: 10.5 });
    if (!route.hotline && !route.referralContact) write(t('guia.routeNotConfigured', { body: route.body }), { size: 10 });
  }

  y -= 8;
  write(t('guia.pdfGenerated', { date: sheet.generatedOn }), { size: 8, color: MUTED });

  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const footer = `${t('guia.pdfFooter')} · ${i + 1}/${pages.length}`;
    p.drawText(footer, { x: MARGIN, y: MARGIN - 20, size: 7.5, font: regular, color: MUTED });
  });
  return pdf.save();
}
