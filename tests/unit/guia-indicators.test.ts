// The Guía de Indicadores de Sospecha as data: every indicator has a sector, a form of exploitation, a next step and
// a source, in Spanish and English; every sector the guidelines name has victim indicators; the filter and the
// search behave as the page promises. Reads content/guia/indicators.yaml with the same parser the build uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUIA_SECTORS, filterIndicators, indicatorSchema, parseGuiaFile, readGuiaFilter, type GuiaIndicator } from '../../src/server/guia/indicators.ts';

const text = readFileSync('content/guia/indicators.yaml', 'utf8');
const indicators: GuiaIndicator[] = parseGuiaFile(text).map((entry) => indicatorSchema.parse(entry));

describe('Guía indicators (content/guia/indicators.yaml)', () => {
  it('has indicators with unique ids', () => {
    expect(indicators.length).toBeGreaterThanOrEqual(20);
    expect(new Set(indicators.map((i) => i.id)).size).toBe(indicators.length);
  });

  it.each(indicators.map((i) => [i.id, i] as const))('%s has sector, form, next step and source in both languages', (_id, indicator) => {
    expect(indicator.sectors.length).toBeGreaterThan(0);
    expect(indicator.forms.length).toBeGreaterThan(0);
    for (const lang of ['es', 'en'] as const) {
      expect(indicator.text[lang].length).toBeGreaterThan(10);
      expect(indicator.action.title[lang].length).toBeGreaterThan(10);
      expect(indicator.action.steps[lang]).toMatch(/referencia|referral/);
    }
    expect(indicator.text.es).not.toBe(indicator.text.en);
    expect(indicator.sources.length).toBeGreaterThan(0);
    for (const source of indicator.sources) expect(source.title.length).toBeGreaterThan(5);
  });

  it('gives every sector victim indicators and the migration, health and education staff of 5.B.2 persons at risk too', () => {
    for (const sector of GUIA_SECTORS) expect(filterIndicators(indicators, { sector, kind: 'victim' }, 'es').length, sector).toBeGreaterThanOrEqual(3);
    for (const sector of ['migration', 'health', 'education'] as const) expect(filterIndicators(indicators, { sector, kind: 'risk' }, 'es').length, sector).toBeGreaterThan(0);
  });

  it('writes no phone number: hotlines come from each national body', () => {
    const digitRuns = [...text.matchAll(/\+?\d[\d\s().-]{5,}\d/g)].map((m) => m[0]).filter((run) => run.replace(/\D/g, '').length >= 7);
    expect(digitRuns).toEqual([]);
  });

  it('refuses an indicator that names an unknown source or next step, naming the indicator', () => {
    const broken = text.replace('action: child-first', 'action: child-frist');
    expect(() => parseGuiaFile(broken)).toThrow(/child-no-guardian: unknown action "child-frist"/);
    expect(() => parseGuiaFile(text.replace('sources: [unodc-indicators]', 'sources: [unodc-indicatorz]'))).toThrow(/unknown source "unodc-indicatorz"/);
  });

  it('refuses an indicator without a source', () => {
    const [first] = parseGuiaFile(text);
    expect(indicatorSchema.safeParse({ ...first, sources: [] }).success).toBe(false);
    expect(indicatorSchema.safeParse({ ...first, text: { es: 'Solo en español' } }).success).toBe(false);
  });
});

describe('filterIndicators', () => {
  it('keeps general indicators under every form of exploitation and filters the rest', () => {
    const sexual = filterIndicators(indicators, { form: 'sexual' }, 'es');
    expect(sexual.some((i) => i.id === 'sex-tattoos')).toBe(true);
    expect(sexual.some((i) => i.id === 'gen-documents')).toBe(true);
    expect(sexual.some((i) => i.id === 'lab-group-housing')).toBe(false);
  });

  it('searches without caring for accents, case or word order, in the language asked', () => {
    expect(filterIndicators(indicators, { query: 'TATUAJES' }, 'es').map((i) => i.id)).toEqual(['sex-tattoos']);
    expect(filterIndicators(indicators, { query: 'nina no acompanado' }, 'es').map((i) => i.id)).toContain('risk-unaccompanied-child');
    expect(filterIndicators(indicators, { query: 'tattoos' }, 'en').map((i) => i.id)).toEqual(['sex-tattoos']);
    expect(filterIndicators(indicators, { query: 'tattoos' }, 'es')).toEqual([]);
  });

  it('reads the query string leniently', () => {
    expect(readGuiaFilter(new URLSearchParams('sector=health&form=sexual&q=%20miedo%20&kind=risk'))).toEqual({ sector: 'health', form: 'sexual', kind: 'risk', query: 'miedo' });
    expect(readGuiaFilter(new URLSearchParams('sector=army&form=any&kind=x'))).toEqual({ sector: undefined, form: undefined, kind: undefined, query: undefined });
  });
});
