// Words for the learning pages: lock reasons and statuses, translated (dates: src/i18n/format.ts).
import type { Locale, MessageKey } from '../i18n/index.ts';
import { translate } from '../i18n/index.ts';
import type { Course, LockReason } from '../server/learning/index.ts';

export function describeLockReason(locale: Locale, reason: LockReason, courses: readonly Course[]): string {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  switch (reason.code) {
    case 'inactive':
      return t('learning.lock.inactive');
    case 'observer':
      return t('learning.lock.observer');
    case 'audience':
      return t(reason.audience.includes('journalist') ? 'learning.lock.audienceBoth' : 'learning.lock.audienceOfficials');
    case 'needsBasico':
      return t('learning.lock.needsBasico');
    case 'needsSpecialist':
      return t(reason.status === 'requested' ? 'learning.lock.specialistRequested' : reason.status === 'rejected' ? 'learning.lock.specialistRejected' : 'learning.lock.needsSpecialist');
    case 'prerequisite': {
      const course = courses.find((c) => c.id === reason.courseId);
      return t('learning.lock.prerequisite', { course: course ? course.title[locale] : reason.courseId });
    }
  }
}
