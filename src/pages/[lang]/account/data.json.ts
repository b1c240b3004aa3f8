// A person's own data, as a JSON download (privacy: the right of access). Quiz answers are in words, never option
// ids or an attempt's paper (src/server/learning/quiz/record.ts).
import type { APIRoute } from 'astro';
import { getBank } from '../../../app/content.ts';
import { getDb } from '../../../app/db.ts';
import { denyUnlessAllowed } from '../../../app/guard.ts';
import { useTranslations } from '../../../i18n/index.ts';
import { exportPersonalData } from '../../../server/privacy.ts';

export const GET: APIRoute = async ({ locals }) => {
  const denied = denyUnlessAllowed(locals, 'account.privacy');
  if (denied) return denied;
  const t = useTranslations(locals.locale);
  const words = { true: t('learning.quiz.true'), false: t('learning.quiz.false'), unanswered: t('learning.quiz.unanswered') };
  const data = await exportPersonalData(getDb(), locals.user!, Date.now(), { locale: locals.locale, words, bankOf: getBank });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="capacita-my-data-${date}.json"`,
      'Cache-Control': 'no-store',
    },
  });
};
