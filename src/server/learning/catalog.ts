// The course catalogue as plain data: the shapes of docs/CONTENT-FORMAT.md that domain modules take as input.
// Pages get them from the validated content collections (src/app/content.ts); tests build them by hand or from
// fixtures. Nothing here knows Astro.
import type { Locale, ProgrammeId } from '../../../db/schema.ts';

export type Bilingual = { es: string; en: string };

export interface Programme {
  id: ProgrammeId;
  order: number;
  audience: ('official' | 'journalist')[];
  title: Bilingual;
  description: Bilingual;
}

/**
 * When a submitted attempt's review shows the key (right answers and explanations); before that it says which
 * questions were right or wrong. `after-last-attempt` (the default) shows it once no further attempt is possible.
 */
export const REVIEW_POLICIES = ['correctness', 'after-pass', 'after-last-attempt', 'full'] as const;
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];

export interface QuizSettings {
  draw: number;
  passMark: number;
  attempts: number;
  cooldownMinutes: number;
  timeLimitMinutes?: number | undefined;
  /** Default `after-last-attempt`. */
  review?: ReviewPolicy | undefined;
}

export interface Course {
  id: string;
  programme: ProgrammeId;
  version: string;
  order: number;
  title: Bilingual;
  summary: Bilingual;
  minutes: number;
  lessons: string[];
  prerequisites: string[];
  quiz: QuizSettings;
  certificateValidityMonths?: number | undefined;
}

export type QuestionType = 'single' | 'multiple' | 'truefalse' | 'ordering' | 'matching';

export interface Question {
  id: string;
  type: QuestionType;
  topic: string;
  text: Bilingual;
  options?: { id: string; text: Bilingual }[] | undefined;
  answer?: string[] | boolean | undefined;
  pairs?: { id: string; left: Bilingual; right: Bilingual }[] | undefined;
  explanation: Bilingual;
}

export interface QuestionBank {
  questions: Question[];
  practice: Question[];
}

export function localized(text: Bilingual, locale: Locale): string {
  return text[locale];
}
