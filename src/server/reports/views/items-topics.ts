// Where learners go wrong, across the questions that test the same thing (topics from the quiz bank).
import { message, col, type View } from './context.ts';
import { itemsOf } from './items.ts';

export const itemsTopics: View = {
  async build(ctx) {
    const report = await itemsOf(ctx);
    const topics = new Map<string, { answered: number; correct: number; questions: number }>();
    for (const i of report.items) {
      const topic = ctx.topicOf?.(i.questionId) ?? '—';
      const x = topics.get(topic) ?? { answered: 0, correct: 0, questions: 0 };
      topics.set(topic, { answered: x.answered + i.answered, correct: x.correct + i.correct, questions: x.questions + 1 });
    }
    return {
      id: 'items-topics',
      title: message('dashboard.items.topics'),
      columns: [col('topic', message('dashboard.col.topic'), 'text'), col('questions', message('dashboard.col.questions'), 'number'), col('answered', message('dashboard.col.answered')), col('pCorrect', message('dashboard.col.pCorrect'), 'percent', 'answered')],
      rows: [...topics.entries()]
        .map(([topic, x]): [string, number, number, number | null] => [topic, x.questions, x.answered, x.answered ? x.correct / x.answered : null])
        .sort((a, b) => Number(a[3] ?? 1) - Number(b[3] ?? 1)),
      rowHeader: 0,
    };
  },
};
