// Quiz item analysis of one course: per question, share correct, discrimination and the most chosen wrong answer.
import { itemAnalysis, type ItemReport } from '../items.ts';
import type { Term } from '../table.ts';
import { message, col, once, type View, type ViewContext } from './context.ts';

export function itemsOf(ctx: ViewContext): Promise<ItemReport> {
  if (!ctx.courseId) throw new Error('The item analysis views need ctx.courseId');
  const courseId = ctx.courseId;
  return once(ctx, 'items', () => itemAnalysis(ctx.db, ctx.scope, courseId));
}

/** Rules of thumb for item writers: too easy, too hard, or not telling stronger from weaker learners. */
export function itemFlag(i: { answered: number; pCorrect: number | null; discrimination: number | null }): Term | null {
  if (i.answered < 20 || i.pCorrect === null) return null;
  const flags: Term[] = [];
  if (i.discrimination !== null && i.discrimination < 0) flags.push(message('dashboard.items.flagNegative'));
  else if (i.discrimination !== null && i.discrimination < 0.2) flags.push(message('dashboard.items.flagLow'));
  if (i.pCorrect < 0.3) flags.push(message('dashboard.items.flagHard'));
  if (i.pCorrect > 0.95) flags.push(message('dashboard.items.flagEasy'));
  return flags.length ? { join: flags, sep: '; ' } : null;
}

export const items: View = {
  async build(ctx) {
    const report = await itemsOf(ctx);
    return {
      id: 'items',
      title: message('dashboard.items.title', { course: { course: report.courseId } }),
      columns: [
        col('question', message('dashboard.col.question'), 'text'),
        col('topic', message('dashboard.col.topic'), 'text'),
        col('text', message('dashboard.col.questionText'), 'text'),
        col('answered', message('dashboard.col.answered')),
        col('pCorrect', message('dashboard.col.pCorrect'), 'percent', 'answered'),
        col('discrimination', message('dashboard.col.discrimination'), 'number', 'answered'),
        col('topWrong', message('dashboard.col.topWrong'), 'text'),
        col('topWrongShare', message('dashboard.col.topWrongShare'), 'percent', 'answered'),
        col('flag', message('dashboard.col.flag'), 'text'),
      ],
      rows: report.items.map((i) => [
        i.questionId,
        ctx.topicOf?.(i.questionId) ?? '',
        { question: i.questionId },
        i.answered,
        i.pCorrect,
        i.discrimination === null ? null : Math.round(i.discrimination * 100) / 100,
        i.topWrong ? { response: i.topWrong.response, question: i.questionId } : null,
        i.topWrong?.share ?? null,
        itemFlag(i) ?? '',
      ]),
      rowHeader: 0,
    };
  },
};
