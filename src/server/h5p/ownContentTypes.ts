// content.json of Capacita's own content types, exactly as docs/CONTENT-FORMAT.md describes them. Used to check
// packages when they are imported and everything under content/h5p in the unit tests.
import { z } from 'astro/zod';

const text = z.string().trim().min(1);
/** UI label overrides: any label of the type, as plain strings. */
const l10n = z.record(z.string(), z.string()).optional();

export const scenarioDecisionSchema = z.object({
  title: text,
  scenario: text,
  question: text,
  choices: z
    .array(z.object({ text, feedback: text, correct: z.boolean() }))
    .min(2)
    .refine((choices) => choices.some((choice) => choice.correct), 'at least one choice must be correct'),
  l10n,
});

export const classifySchema = z
  .object({
    title: text,
    instructions: text,
    categories: z.array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), label: text })).min(2),
    cards: z.array(z.object({ text, category: z.string(), feedback: text })).min(1),
    behaviour: z.object({ randomizeCards: z.boolean().optional() }).optional(),
    l10n,
  })
  .superRefine((value, context) => {
    const ids = new Set(value.categories.map((category) => category.id));
    if (ids.size !== value.categories.length) context.addIssue({ code: 'custom', path: ['categories'], message: 'category ids must be unique' });
    value.cards.forEach((card, index) => {
      if (!ids.has(card.category)) {
        context.addIssue({ code: 'custom', path: ['cards', index, 'category'], message: `unknown category "${card.category}"` });
      }
    });
  });

export const termMatchSchema = z
  .object({
    title: text,
    instructions: text,
    pairs: z.array(z.object({ term: text, definition: text })).min(2),
    l10n,
  })
  .refine((value) => new Set(value.pairs.map((pair) => pair.term)).size === value.pairs.length, {
    path: ['pairs'],
    message: 'terms must be unique (each definition must have one right term)',
  });

/** The schema of content.json per main library of ours; other libraries' content is checked by their own editors. */
export const OWN_CONTENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'Capacita.ScenarioDecision': scenarioDecisionSchema,
  'Capacita.Classify': classifySchema,
  'Capacita.TermMatch': termMatchSchema,
};
