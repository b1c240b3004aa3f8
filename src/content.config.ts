// The content model: every file under content/ is validated here at build; a malformed file fails the build
// with the file and field named. See docs/CONTENT-FORMAT.md.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { parse as parseYaml } from 'yaml';
import { indicatorSchema, parseGuiaFile } from './server/guia/indicators.ts';

const PROGRAMME_IDS = ['basico', 'actualizacion', 'especializado', 'autocuidado', 'medios'] as const;

const bilingual = z.object({ es: z.string().min(1), en: z.string().min(1) }).strict();

const programmes = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/programmes' }),
  schema: z
    .object({
      id: z.enum(PROGRAMME_IDS),
      order: z.number().int(),
      audience: z.array(z.enum(['official', 'journalist'])).min(1),
      title: bilingual,
      description: bilingual,
    })
    .strict(),
});

const courses = defineCollection({
  loader: glob({ pattern: '*/course.yaml', base: './content/courses', generateId: ({ data }) => String(data.id) }),
  schema: z
    .object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      programme: z.enum(PROGRAMME_IDS),
      // Recorded on every enrolment, attempt, certificate and xAPI statement; bump it when lessons or the quiz change
      // (docs/LEARNING.md, "When a course changes").
      version: z.string().regex(/^\d+(\.\d+){0,2}$/, { error: 'version: numbers separated by dots, such as "1.0" or "2.1.3"' }),
      order: z.number().int().default(1),
      title: bilingual,
      summary: bilingual,
      minutes: z.number().int().positive(),
      lessons: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
      prerequisites: z.array(z.string()).default([]),
      quiz: z
        .object({
          draw: z.number().int().positive(),
          passMark: z.number().min(1).max(100),
          attempts: z.number().int().min(0),
          cooldownMinutes: z.number().int().min(0).default(0),
          timeLimitMinutes: z.number().int().positive().optional(),
          // When the review shows the right answers (src/server/learning/catalog.ts, REVIEW_POLICIES).
          review: z.enum(['correctness', 'after-pass', 'after-last-attempt', 'full']).default('after-last-attempt'),
        })
        .strict(),
      certificateValidityMonths: z.number().int().positive().optional(),
    })
    .strict(),
});

const lessons = defineCollection({
  loader: glob({ pattern: '*/{es,en}/*.mdx', base: './content/courses' }),
  schema: z
    .object({
      title: z.string().min(1),
      description: z.string().min(1),
      minutes: z.number().int().positive(),
    })
    .strict(),
});

const localizedOption = z.object({ id: z.string(), text: bilingual }).strict();

export const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    type: z.enum(['single', 'multiple', 'truefalse', 'ordering', 'matching']),
    topic: z.string(),
    text: bilingual,
    options: z.array(localizedOption).optional(),
    answer: z.union([z.array(z.string()).min(1), z.boolean()]).optional(),
    pairs: z.array(z.object({ id: z.string(), left: bilingual, right: bilingual }).strict()).optional(),
    explanation: bilingual,
  })
  .strict()
  .superRefine((q, ctx) => {
    const needsOptions = q.type === 'single' || q.type === 'multiple' || q.type === 'ordering';
    if (needsOptions && (!q.options || q.options.length < 2)) ctx.addIssue({ code: 'custom', path: ['options'], message: `question ${q.id}: needs at least two options` });
    if ((q.type === 'single' || q.type === 'multiple') && !Array.isArray(q.answer)) ctx.addIssue({ code: 'custom', path: ['answer'], message: `question ${q.id}: answer must list option ids` });
    if (q.type === 'single' && Array.isArray(q.answer) && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: `question ${q.id}: a single-choice question has exactly one answer` });
    if (Array.isArray(q.answer) && q.options) {
      const ids = new Set(q.options.map((o) => o.id));
      for (const a of q.answer) if (!ids.has(a)) ctx.addIssue({ code: 'custom', path: ['answer'], message: `question ${q.id}: answer "${a}" is not an option id` });
    }
    if (q.type === 'truefalse' && typeof q.answer !== 'boolean') ctx.addIssue({ code: 'custom', path: ['answer'], message: `question ${q.id}: a true/false answer is true or false` });
    if (q.type === 'matching' && (!q.pairs || q.pairs.length < 2)) ctx.addIssue({ code: 'custom', path: ['pairs'], message: `question ${q.id}: a matching question needs at least two pairs` });
  });

const quizzes = defineCollection({
  loader: glob({ pattern: '*/quiz.yaml', base: './content/courses', generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: z
    .object({
      questions: z.array(questionSchema).min(1),
      practice: z.array(questionSchema).default([]),
    })
    .strict(),
});

const glossary = defineCollection({
  loader: file('./content/glossary.yaml', { parser: (text) => (parseYaml(text) as { terms: Record<string, unknown>[] }).terms }),
  schema: z.object({ id: z.string(), term: bilingual, definition: bilingual }).strict(),
});

// The Guía de Indicadores de Sospecha: sources and next steps resolved by id, every indicator sourced (5.B.1–2).
const guiaIndicators = defineCollection({
  loader: file('./content/guia/indicators.yaml', { parser: parseGuiaFile }),
  schema: indicatorSchema,
});

export const collections = { programmes, courses, lessons, quizzes, glossary, guiaIndicators };
