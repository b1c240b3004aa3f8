// Applies one item of progress made offline (src/server/offline/sync.ts) the way its Action or endpoint would have
// when it was made: the same content lookups, access checks and domain functions (learning.markDone,
// learning.practice, activities.answer, /api/xapi). Refusals become reasons the learner reads; the receipt keeps them.
import { getDb } from './db.ts';
import { publicOrigin } from './config.ts';
import { getBank, getCourse, getLesson, lessonRequiredActivities } from './content.ts';
import { checkActivityAccess } from './activityAccess.ts';
import { isLrsForwardingEnabled, kickLrsForwarding } from './lrsForwarding.ts';
import { formAnswersFrom, gradeQuestion, markLessonDone, practiceEntry, responseFromForm } from '../server/learning/index.ts';
import { recordActivityStatement, requiredActivitiesDone } from '../server/h5p/activityResults.ts';
import { isDomainError } from '../server/errors.ts';
import { defaultH5PRoot } from '../server/h5p/h5pContentRoot.ts';
import { gradeOwnActivity, ownActivity, ownActivityStatement } from '../server/h5p/ownActivityForm.ts';
import { buildStoredStatement, type XapiReport } from '../server/h5p/xapiStatement.ts';
import { isDuplicateStatement, type ApplyOfflineItem, type ItemOutcome, type OfflineItem } from '../server/offline/sync.ts';
import type { SessionUser } from '../server/auth/session.ts';
import { can } from '../server/policy.ts';
import { applyQueuedMark } from '../server/workshops/index.ts';

const SLUG = /^[a-z0-9-]{1,80}$/;
const rejected = (reason: Extract<ItemOutcome, { outcome: 'rejected' }>['reason']): ItemOutcome => ({ outcome: 'rejected', reason });

export function offlineApplier(user: SessionUser, ip: string | null = null): ApplyOfflineItem {
  return (item, statementId) => {
    // A facilitator's mark is asked of the policy per mark by the workshops domain; progress needs learning.take.
    if (item.kind === 'attendance') return applyAttendanceMark(user, item, ip);
    if (!can(user, 'learning.take')) return Promise.resolve(rejected('errors.forbidden'));
    return item.kind === 'xapi' ? applyReport(user, item.report, statementId) : applyForm(user, item, statementId);
  };
}

async function applyAttendanceMark(user: SessionUser, item: Extract<OfflineItem, { kind: 'attendance' }>, ip: string | null): Promise<ItemOutcome> {
  const applied = await applyQueuedMark(getDb(), user, { sessionId: item.session, userId: item.person, present: item.present, clientId: item.id, ip });
  return applied.ok ? { outcome: 'applied', result: { session: item.session, person: item.person, present: item.present, outcome: applied.outcome } } : rejected(applied.reason);
}

async function applyForm(user: Pick<SessionUser, 'id' | 'countryCode'>, item: Extract<OfflineItem, { kind: 'form' }>, statementId: string): Promise<ItemOutcome> {
  const form = new FormData();
  for (const [name, value] of item.fields) form.append(name, value);
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : null;
  };
  if (item.action === 'activities.answer') return applyActivityAnswer(user, field, statementId);
  const course = SLUG.test(field('course') ?? '') ? await getCourse(field('course')!) : null;
  if (!course) return rejected('offline.reject.unknownLesson');
  if (item.action === 'learning.markDone') {
    const slug = field('lesson') ?? '';
    const lesson = SLUG.test(slug) ? await getLesson(course.id, item.lang, slug) : null;
    if (!lesson || !course.lessons.includes(slug)) return rejected('offline.reject.unknownLesson');
    const result = await markLessonDone(getDb(), { userId: user.id, course, lesson: slug, requiredActivities: lessonRequiredActivities(lesson), activitiesDone: requiredActivitiesDone });
    if (result.ok) return { outcome: 'applied', result: { course: course.id, lesson: slug } };
    if (result.error === 'notEnrolled') return rejected('offline.reject.notEnrolled');
    if (result.error === 'activitiesPending') return rejected('offline.reject.activitiesPending');
    return rejected('offline.reject.unknownLesson');
  }
  const question = (await getBank(course.id)).practice.find((q) => q.id === field('question'));
  if (!question) return rejected('offline.reject.unknownQuestion');
  const grade = gradeQuestion(question, responseFromForm(question, practiceEntry(question), 'kc', formAnswersFrom(form)));
  return { outcome: 'applied', result: { course: course.id, question: question.id, correct: grade.correct, score: grade.score } };
}

async function applyActivityAnswer(user: Pick<SessionUser, 'id' | 'countryCode'>, field: (name: string) => string | null, statementId: string): Promise<ItemOutcome> {
  const activityId = field('activity') ?? '';
  const requestedCourse = field('course') || undefined;
  if (!SLUG.test(activityId) || (requestedCourse && !SLUG.test(requestedCourse))) return rejected('offline.reject.activityUnavailable');
  const activity = ownActivity(defaultH5PRoot(), activityId);
  if (!activity) return rejected('offline.reject.activityUnavailable');
  const grade = gradeOwnActivity(activity, field);
  if (!grade.ok) return rejected('offline.reject.activityIncomplete');
  return applyReport(user, { activityId, courseId: requestedCourse, statement: ownActivityStatement(activity, grade) }, statementId);
}

async function applyReport(user: Pick<SessionUser, 'id' | 'countryCode'>, report: XapiReport, statementId: string): Promise<ItemOutcome> {
  const access = await checkActivityAccess(user.id, report.activityId, report.courseId);
  if (!access.ok) return rejected(access.reason === 'notEnrolled' ? 'offline.reject.notEnrolled' : 'offline.reject.activityUnavailable');
  const stored = buildStoredStatement({ report: { ...report, courseId: access.courseId }, actor: { userId: user.id }, origin: publicOrigin(), id: statementId });
  try {
    const result = await recordActivityStatement(getDb(), { userId: user.id, activityId: report.activityId, courseId: access.courseId, countryCode: user.countryCode, stored, forward: isLrsForwardingEnabled() });
    kickLrsForwarding();
    return { outcome: 'applied', result: { activity: report.activityId, completed: result.completed } };
  } catch (error) {
    // The statement quota (recordActivityStatement's one refusal), said in the sync's own words.
    if (isDomainError(error) && error.code === 'tooMany') return rejected('offline.reject.tooManyStatements');
    // The same item delivered twice at once: the first delivery recorded it.
    if (isDuplicateStatement(error)) return { outcome: 'applied', result: { activity: report.activityId } };
    throw error;
  }
}
