// The Guía de Indicadores de Sospecha (guidelines 5.B.1–2) as data: content/guia/indicators.yaml holds the sources,
// the next steps and the indicators that name them by id. `parseGuiaFile` resolves those ids (an unknown id fails
// the build with the indicator named); `indicatorSchema` is the shape every resolved indicator must have. The same
// two functions serve the content collection (src/content.config.ts) and the unit test, so there is one rule.
import { z } from 'astro/zod';
import { parse as parseYaml } from 'yaml';
import { foldText, queryWords } from './fold.ts';

export const GUIA_SECTORS = ['migration', 'police', 'health', 'education', 'labour', 'consular', 'child_protection'] as const;
/** `any`: the indicator points to trafficking whatever the purpose, so it shows under every form of exploitation. */
export const GUIA_FORMS = ['any', 'sexual', 'labour', 'domestic', 'begging-crime'] as const;
/** `victim`: signs that the person may already be a victim; `risk`: a person at risk of being trafficked. */
export const GUIA_KINDS = ['victim', 'risk'] as const;

export type GuiaSector = (typeof GUIA_SECTORS)[number];
export type GuiaForm = (typeof GUIA_FORMS)[number];
export type GuiaKind = (typeof GUIA_KINDS)[number];
type Lang = 'es' | 'en';

const bilingual = z.object({ es: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();

export const sourceSchema = z
  .object({
    title: z.string().min(1),
    publisher: z.string().min(1),
    year: z.number().int().min(1900).max(2100).optional(),
    url: z.url().optional(),
    /** Where in the source: a module, an indicator number, an article. */
    detail: z.string().min(1).optional(),
  })
  .strict();

export const indicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    /** The indicator's place in the file: collections come back sorted by id, the Guía reads in the authors' order. */
    order: z.number().int().min(0),
    kind: z.enum(GUIA_KINDS),
    sectors: z.array(z.enum(GUIA_SECTORS)).min(1),
    forms: z.array(z.enum(GUIA_FORMS)).min(1),
    text: bilingual,
    action: z.object({ id: z.string(), title: bilingual, steps: bilingual }).strict(),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type GuiaIndicator = z.infer<typeof indicatorSchema>;
export type GuiaSource = z.infer<typeof sourceSchema>;

const fileSchema = z
  .object({
    sources: z.record(z.string(), sourceSchema.omit({ detail: true })),
    actions: z.record(z.string(), z.object({ title: bilingual, steps: bilingual }).strict()),
    indicators: z.array(
      z
        .object({ action: z.string(), sources: z.array(z.union([z.string(), z.object({ id: z.string(), detail: z.string() }).strict()])).min(1) })
        .passthrough(),
    ),
  })
  .strict();

/** content/guia/indicators.yaml → indicators with their action and sources written out. */
export function parseGuiaFile(text: string): Record<string, unknown>[] {
  const file = fileSchema.parse(parseYaml(text));
  return file.indicators.map((indicator, order) => {
    const id = String(indicator.id);
    const action = file.actions[indicator.action];
    if (!action) throw new Error(`Guía indicator ${id}: unknown action "${indicator.action}"`);
    const sources = indicator.sources.map((ref) => {
      const key = typeof ref === 'string' ? ref : ref.id;
      const source = file.sources[key];
      if (!source) throw new Error(`Guía indicator ${id}: unknown source "${key}"`);
      return typeof ref === 'string' ? source : { ...source, detail: ref.detail };
    });
    return { ...indicator, order, action: { id: indicator.action, ...action }, sources };
  });
}

export interface GuiaFilter {
  sector?: GuiaSector;
  form?: Exclude<GuiaForm, 'any'>;
  kind?: GuiaKind;
  /** Words the indicator's text, next step or sources contain, in any order; accents and case do not matter. */
  query?: string;
}

export function searchableText(indicator: GuiaIndicator, lang: Lang): string {
  return foldText([indicator.text[lang], indicator.action.title[lang], indicator.action.steps[lang], ...indicator.sources.map((s) => `${s.publisher} ${s.title} ${s.detail ?? ''}`)].join(' '));
}

export function filterIndicators(indicators: readonly GuiaIndicator[], filter: GuiaFilter, lang: Lang): GuiaIndicator[] {
  const words = queryWords(filter.query ?? '');
  return indicators.filter(
    (indicator) =>
      (!filter.sector || indicator.sectors.includes(filter.sector)) &&
      (!filter.form || indicator.forms.includes(filter.form) || indicator.forms.includes('any')) &&
      (!filter.kind || indicator.kind === filter.kind) &&
      (words.length === 0 || words.every((word) => searchableText(indicator, lang).includes(word))),
  );
}

/** The page's query string, read leniently: an unknown sector or form is ignored rather than refused. */
export function readGuiaFilter(params: URLSearchParams): GuiaFilter {
  const pick = <T extends string>(value: string | null, allowed: readonly T[]) => (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
  const form = pick(params.get('form'), GUIA_FORMS);
  return {
    sector: pick(params.get('sector'), GUIA_SECTORS),
    form: form === 'any' ? undefined : form,
    kind: pick(params.get('kind'), GUIA_KINDS),
    query: (params.get('q') ?? '').trim().slice(0, 200) || undefined,
  };
}
