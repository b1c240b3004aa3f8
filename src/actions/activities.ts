// Interactive activities answered without JavaScript: the server-rendered form of one of our own content types
// (src/components/H5P.astro) posts here. Graded on the server (src/server/h5p/ownActivityForm.ts) and recorded by the
// same domain function as the xAPI intake (recordActivityStatement), under the same access rules and quota.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { domainHandler } from '../app/domain-error.ts';
import { DomainError } from '../server/errors.ts';
import { authorize } from '../app/guard.ts';
import { publicOrigin } from '../app/config.ts';
import { isLrsForwardingEnabled, kickLrsForwarding } from '../app/lrsForwarding.ts';
import { checkActivityAccess } from '../app/activityAccess.ts';
import { recordActivityStatement } from '../server/h5p/activityResults.ts';
import { defaultH5PRoot } from '../server/h5p/h5pContentRoot.ts';
import { gradeOwnActivity, ownActivity, ownActivityStatement } from '../server/h5p/ownActivityForm.ts';
import { buildStoredStatement } from '../server/h5p/xapiStatement.ts';

const id = /^[a-z0-9-]{1,80}$/;

export const activities = {
  answer: defineAction({
    accept: 'form',
    input: z.instanceof(FormData),
    handler: domainHandler(async (form, context) => {
      const user = authorize(context, 'learning.take');
      const field = (name: string) => {
        const value = form.get(name);
        return typeof value === 'string' ? value : null;
      };
      const activityId = field('activity') ?? '';
      const requestedCourse = field('course') || undefined;
      if (!id.test(activityId) || (requestedCourse && !id.test(requestedCourse))) throw new DomainError('invalid');
      const activity = ownActivity(defaultH5PRoot(), activityId);
      if (!activity) throw new DomainError('notFound', 'h5p.activityUnavailable', activityId);
      const access = await checkActivityAccess(user.id, activityId, requestedCourse);
      if (!access.ok) {
        throw access.reason === 'notEnrolled' ? new DomainError('forbidden', 'h5p.notEnrolled', activityId) : new DomainError('notFound', 'h5p.activityUnavailable', activityId);
      }
      const grade = gradeOwnActivity(activity, field);
      // The form marks every item required, so only a hand-made request gets here with gaps.
      if (!grade.ok) throw new DomainError('invalid', 'h5p.form.missing', activityId);
      const stored = buildStoredStatement({
        report: { activityId, courseId: access.courseId, statement: ownActivityStatement(activity, grade) },
        actor: { userId: user.id },
        origin: publicOrigin(),
      });
      const result = await recordActivityStatement(getDb(), { userId: user.id, activityId, courseId: access.courseId, countryCode: user.countryCode, stored, forward: isLrsForwardingEnabled() });
      kickLrsForwarding();
      return { activityId, grade, completed: result.completed };
    }),
  }),
};
