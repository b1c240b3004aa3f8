// What the browser may report about an activity, and the xAPI 1.0.3 statement the platform stores from it.
// The browser's word is taken only for what the learner did (verb, result, interaction); who did it, when, the
// statement id and the activity IRI are the server's. Scores reported by a browser can be forged: they are practice
// results and never stand in for the server-graded final quiz.
import { z } from 'astro/zod';
import { isValidPackageId } from './h5pContentRoot.ts';

export const XAPI_VERSION = '1.0.3';
export const RECORDED_VERBS = ['answered', 'completed'] as const;
export type RecordedVerb = (typeof RECORDED_VERBS)[number];

const VERB_PREFIX = 'http://adlnet.gov/expapi/verbs/';
/** The most points an activity may have; more than any of our types uses, low enough to catch nonsense. */
const MAX_POINTS = 1000;

const languageMap = z.record(z.string().max(35), z.string().max(2000));
const interactionComponent = z.object({ id: z.string().max(200), description: languageMap.optional() });

const score = z
  .object({
    raw: z.number().min(0).max(MAX_POINTS),
    max: z.number().positive().max(MAX_POINTS),
    min: z.literal(0).optional(),
    scaled: z.number().min(0).max(1).optional(),
  })
  .refine((s) => s.raw <= s.max, { message: 'raw score above max', path: ['raw'] });

/** The statement as H5P builds it in the browser; unknown fields are dropped. */
export const reportedStatementSchema = z.object({
  verb: z.object({ id: z.enum(RECORDED_VERBS.map((verb) => `${VERB_PREFIX}${verb}`) as [string, ...string[]]) }),
  result: z.object({
    score,
    success: z.boolean().optional(),
    completion: z.boolean().optional(),
    duration: z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/).optional(),
    response: z.string().max(4000).optional(),
  }),
  object: z
    .object({
      definition: z
        .object({
          name: languageMap.optional(),
          description: languageMap.optional(),
          type: z.url().max(300).optional(),
          interactionType: z.enum(['choice', 'matching', 'sequencing', 'true-false', 'fill-in', 'long-fill-in', 'likert', 'performance', 'numeric', 'other']).optional(),
          correctResponsesPattern: z.array(z.string().max(4000)).max(50).optional(),
          choices: z.array(interactionComponent).max(100).optional(),
          source: z.array(interactionComponent).max(100).optional(),
          target: z.array(interactionComponent).max(100).optional(),
        })
        .optional(),
    })
    .optional(),
  // A statement about a part of an activity (it has a parent) is not the activity's result.
  context: z
    .object({ contextActivities: z.object({ parent: z.array(z.unknown()).max(0, 'sub-content statements are not recorded').optional() }).optional() })
    .optional(),
});

/** The body of POST /api/xapi. */
export const xapiReportSchema = z.object({
  activityId: z.string().refine(isValidPackageId, 'not a package id'),
  courseId: z.string().regex(/^[a-z0-9-]{1,80}$/).optional(),
  statement: reportedStatementSchema,
});
export type XapiReport = z.infer<typeof xapiReportSchema>;

export interface StatementActor {
  userId: number;
}

export interface StoredStatementInput {
  report: XapiReport;
  actor: StatementActor;
  /** The platform's public origin, e.g. https://capacita.example: activity IRIs and account home page hang off it. */
  origin: string;
  id?: string;
  now?: number;
}

export interface StoredStatement {
  id: string;
  verb: RecordedVerb;
  scoreRaw: number;
  scoreMax: number;
  success: boolean | null;
  /** Whether the learner finished the activity (the `completed` verb or result.completion). */
  completed: boolean;
  statement: XapiStatement;
}

/** An xAPI 1.0.3 statement as the platform stores and exports it. */
export interface XapiStatement {
  id: string;
  version: string;
  actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  verb: { id: string; display: Record<string, string> };
  object: { objectType: 'Activity'; id: string; definition?: Record<string, unknown> };
  result: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: string;
  stored: string;
  authority: { objectType: 'Agent'; account: { homePage: string; name: string } };
}

/** The activity IRI of a package: stable across pages and deployments of the same origin. */
export function activityIri(origin: string, activityId: string): string {
  return `${origin.replace(/\/$/, '')}/h5p/${activityId}`;
}

/**
 * Builds the statement to store. The actor is the signed-in user's account id (never an e-mail: statements leave the
 * platform when an LRS is configured), the score is recomputed from raw/max, and timestamps are the server's.
 */
export function buildStoredStatement({ report, actor, origin, id = crypto.randomUUID(), now = Date.now() }: StoredStatementInput): StoredStatement {
  const { statement } = report;
  const verb = statement.verb.id.slice(VERB_PREFIX.length) as RecordedVerb;
  const { raw, max } = statement.result.score;
  const at = new Date(now).toISOString();
  const home = origin.replace(/\/$/, '');
  const result: Record<string, unknown> = {
    score: { raw, max, min: 0, scaled: Math.round((raw / max) * 10_000) / 10_000 },
    completion: statement.result.completion ?? verb === 'completed',
  };
  if (statement.result.success !== undefined) result.success = statement.result.success;
  if (statement.result.duration) result.duration = statement.result.duration;
  if (statement.result.response !== undefined) result.response = statement.result.response;
  const definition = { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', ...statement.object?.definition };
  const stored: XapiStatement = {
    id,
    version: XAPI_VERSION,
    actor: { objectType: 'Agent', account: { homePage: home, name: String(actor.userId) } },
    verb: { id: statement.verb.id, display: { 'en-US': verb } },
    object: { objectType: 'Activity', id: activityIri(home, report.activityId), definition },
    result,
    timestamp: at,
    stored: at,
    authority: { objectType: 'Agent', account: { homePage: home, name: 'capacita' } },
  };
  if (report.courseId) {
    stored.context = { contextActivities: { grouping: [{ objectType: 'Activity', id: `${home}/courses/${report.courseId}` }] } };
  }
  return {
    id,
    verb,
    scoreRaw: raw,
    scoreMax: max,
    success: statement.result.success ?? null,
    completed: verb === 'completed' || statement.result.completion === true,
    statement: stored,
  };
}
