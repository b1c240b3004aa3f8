// The face of the reminders domain (issue 15): the scheduler and its background worker, consent and unsubscribe.
export { runReminders, REFRESHER_STAGES, STALLED_AFTER_DAYS, STALLED_AGAIN_AFTER_DAYS, QUIZ_RETRY_WINDOW_DAYS, type ReminderCatalog, type ReminderCourse, type ReminderRunStats } from './scheduler.ts';
export { startReminderWorker, REMINDERS_INTERVAL_MS, type ReminderWorker } from './worker.ts';
export { isReminderKind, optedOutKinds, optOut, setReminderPreferences, unsubscribeUrl, verifyUnsubscribe, type UnsubscribeRequest } from './consent.ts';
export { localDate, localMonth, daysBetween } from './local-day.ts';
export { previewCommitteeMessage, sendCommitteeMessage, COMMITTEE_MESSAGE_GAP_DAYS, COMMITTEE_SENDS_PER_DAY, type CommitteePreview } from './committee.ts';
export { buildDigest, digestAudience, reminderKindsFor, monthPeriod, previewDigest, reportedMonth, runDigests, sendDigestNow, DIGEST_KIND, DIGEST_NOW_GAP_MS, DIGEST_NOW_KIND, type DigestAudience, type DigestContent, type DigestLocalizer, type DigestPeriod } from './digest.ts';
export type { DigestTable } from './digest-mail.ts';
