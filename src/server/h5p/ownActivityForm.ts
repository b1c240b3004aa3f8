// Capacita's own content types (Classify, TermMatch, ScenarioDecision) as a plain HTML form, graded on the server:
// the same activity without JavaScript (issue 16.2). `ownActivity` reads a package whose main library is one of ours;
// `activityFields` is what the form shows (never which answer is right); `gradeOwnActivity` scores a submission the
// way the browser player does (one point per card, per pair, or the one choice; finished once every item is
// answered); `ownActivityStatement` turns the grade into the statement the xAPI intake records, so both paths reach
// recordActivityStatement with the same shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'astro/zod';
import { readPackageSummary } from './readPackageSummary.ts';
import { classifySchema, OWN_CONTENT_SCHEMAS, scenarioDecisionSchema, termMatchSchema } from './ownContentTypes.ts';
import type { XapiReport } from './xapiStatement.ts';

export type OwnActivity =
  | { id: string; language: string; type: 'Capacita.Classify'; content: z.infer<typeof classifySchema> }
  | { id: string; language: string; type: 'Capacita.TermMatch'; content: z.infer<typeof termMatchSchema> }
  | { id: string; language: string; type: 'Capacita.ScenarioDecision'; content: z.infer<typeof scenarioDecisionSchema> };

export function isOwnContentType(mainLibrary: string): boolean {
  return Object.hasOwn(OWN_CONTENT_SCHEMAS, mainLibrary);
}

/** The package as one of our types, or null (unknown id, a third-party type, or content its schema refuses). */
export function ownActivity(root: string, id: string): OwnActivity | null {
  const summary = readPackageSummary(root, id);
  if (!summary || !isOwnContentType(summary.mainLibrary)) return null;
  try {
    const parsed = OWN_CONTENT_SCHEMAS[summary.mainLibrary]!.safeParse(JSON.parse(readFileSync(join(root, id, 'content', 'content.json'), 'utf8')));
    if (!parsed.success) return null;
    return { id, language: summary.language, type: summary.mainLibrary, content: parsed.data } as OwnActivity;
  } catch {
    return null;
  }
}

export interface Choice {
  value: string;
  label: string;
}
/** One question of the form: a group of radio buttons or a list to pick from. */
export interface FormItem {
  name: string;
  label: string;
  kind: 'radio' | 'select';
  choices: Choice[];
}
export interface ActivityFields {
  title: string;
  /** Text shown before the items: the instructions, or the scenario and its question. */
  intro: string[];
  items: FormItem[];
}

const collator = new Intl.Collator('es', { sensitivity: 'base' });

/** The form's fields. Terms are listed alphabetically so that their order says nothing about which is right. */
export function activityFields(activity: OwnActivity): ActivityFields {
  switch (activity.type) {
    case 'Capacita.Classify': {
      const { title, instructions, categories, cards } = activity.content;
      const choices = categories.map((c) => ({ value: c.id, label: c.label }));
      return { title, intro: [instructions], items: cards.map((card, i) => ({ name: `card-${i}`, label: card.text, kind: 'radio', choices })) };
    }
    case 'Capacita.TermMatch': {
      const { title, instructions, pairs } = activity.content;
      const terms = pairs.map((p) => p.term).sort(collator.compare).map((term) => ({ value: term, label: term }));
      return { title, intro: [instructions], items: pairs.map((pair, i) => ({ name: `definition-${i}`, label: pair.definition, kind: 'select', choices: terms })) };
    }
    case 'Capacita.ScenarioDecision': {
      const { title, scenario, question, choices } = activity.content;
      return { title, intro: [scenario], items: [{ name: 'choice', label: question, kind: 'radio', choices: choices.map((c, i) => ({ value: String(i), label: c.text })) }] };
    }
  }
}

export interface ItemResult {
  name: string;
  correct: boolean;
  /** The explanation the content gives for this item (the chosen option's, for a scenario). */
  feedback: string | null;
  /** The right answer's label, shown after grading like the player's "Right category: …". */
  right: string;
}
export type Grade =
  | { ok: true; score: number; max: number; success: boolean; response: string; items: ItemResult[]; answers: Record<string, string> }
  | { ok: false; missing: number };

/** Scores the submitted fields; an item left empty or answered with something that is not one of its choices is missing. */
export function gradeOwnActivity(activity: OwnActivity, form: (name: string) => string | null): Grade {
  const fields = activityFields(activity);
  const answers: Record<string, string> = {};
  let missing = 0;
  for (const item of fields.items) {
    const value = form(item.name) ?? '';
    if (item.choices.some((c) => c.value === value)) answers[item.name] = value;
    else missing++;
  }
  if (missing > 0) return { ok: false, missing };

  switch (activity.type) {
    case 'Capacita.Classify': {
      const { categories, cards } = activity.content;
      const label = (id: string) => categories.find((c) => c.id === id)?.label ?? id;
      const items = cards.map((card, i) => ({ name: `card-${i}`, correct: answers[`card-${i}`] === card.category, feedback: card.feedback, right: label(card.category) }));
      return graded(items, cards.map((_, i) => `card${i}[.]${answers[`card-${i}`]}`).join('[,]'), answers);
    }
    case 'Capacita.TermMatch': {
      const { pairs } = activity.content;
      const items = pairs.map((pair, i) => ({ name: `definition-${i}`, correct: answers[`definition-${i}`] === pair.term, feedback: null, right: pair.term }));
      const termIndex = (term: string) => pairs.findIndex((p) => p.term === term);
      return graded(items, pairs.map((_, i) => `definition${i}[.]term${termIndex(answers[`definition-${i}`]!)}`).join('[,]'), answers);
    }
    case 'Capacita.ScenarioDecision': {
      const { choices } = activity.content;
      const chosen = choices[Number(answers.choice)]!;
      const right = choices.filter((c) => c.correct).map((c) => c.text).join(' / ');
      return graded([{ name: 'choice', correct: chosen.correct, feedback: chosen.feedback, right }], answers.choice!, answers);
    }
  }
}

function graded(items: ItemResult[], response: string, answers: Record<string, string>): Grade {
  const score = items.filter((i) => i.correct).length;
  return { ok: true, score, max: items.length, success: score === items.length, response, items, answers };
}

const INTERACTION: Record<OwnActivity['type'], 'matching' | 'choice'> = {
  'Capacita.Classify': 'matching',
  'Capacita.TermMatch': 'matching',
  'Capacita.ScenarioDecision': 'choice',
};

/** The `completed` statement of a graded form, in the shape the browser reports (POST /api/xapi). */
export function ownActivityStatement(activity: OwnActivity, grade: Extract<Grade, { ok: true }>): XapiReport['statement'] {
  return {
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    result: { score: { raw: grade.score, max: grade.max }, success: grade.success, completion: true, response: grade.response },
    object: { definition: { name: { [activity.language]: activity.content.title }, interactionType: INTERACTION[activity.type] } },
  };
}
