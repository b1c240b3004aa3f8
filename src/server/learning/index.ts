// The face of the learning domain: what pages, Actions, components and other domains may call (the idea of Open
// edX's per-app `api.py`). Everything else in src/server/learning/ is its inside and may change without notice;
// unit tests may reach the inside directly.

// The catalogue as plain data
export { localized, REVIEW_POLICIES, type Bilingual, type Course, type Programme, type Question, type QuestionBank, type QuestionType, type QuizSettings, type ReviewPolicy } from './catalog.ts';

// Who may enrol, and enrolling
export { currentEnrolment, enrol, REFRESHER_NOTICE_DAYS, type EnrolResult, type LockReason, type Person, type RefresherStatus } from './enrolment.ts';
export { reasonsThatApply } from './gate.ts';

// Lessons and completion
export { markLessonDone, visitLesson, type ActivitiesDone, type CompletionResult, type CourseProgress, type MarkDoneResult } from './progress.ts';

// A person's view of the catalogue
export { courseStatus, learnerOverview, openCertificateCode, type CourseStatus, type Overview } from './overview.ts';

// The final quiz and the practice questions
export { practiceEntry, type PaperEntry } from './quiz/paper.ts';
export { formAnswersFrom, presentPaper, presentQuestion, responseFromForm, type FormAnswers, type PresentedQuestion } from './quiz/form.ts';
export { gradeQuestion, scoreOf, type Grade, type Response } from './quiz/grading.ts';
export {
  closeExpiredAttempts,
  loadQuizState,
  loadSavedAnswers,
  saveAnswers,
  startAttempt,
  submitAttempt,
  SUBMIT_GRACE_MS,
  type AttemptRow,
  type QuizState,
  type SavedAnswers,
  type SaveResult,
  type StartRefusal,
  type StartResult,
  type SubmitOutcome,
  type SubmitResult,
} from './quiz/attempts.ts';
export { describeResponse, type ResponseWords } from './quiz/describe.ts';
export { reviewAttempt, type Review, type ReviewedQuestion } from './quiz/review.ts';
export { grantExtraTime, listExtraTime, MAX_EXTRA_MINUTES, type GrantResult } from './quiz/extra-time.ts';
export type { AnswerWording } from './quiz/record.ts';

// The placement test for people trained elsewhere (meets the Básico requirement, issues no certificate)
export { loadPlacedOut, PLACEMENT_ATTEMPTS, placementState, startPlacement, submitPlacement, type PlacementOutcome, type PlacementRefusal, type PlacementRow, type PlacementState } from './placement.ts';

// Certificates
export { findCertificate, listUserCertificates, normaliseCertificateCode, verifyCertificate, type CertificateStatus, type CertificateView, type PublicVerification } from './certificates.ts';
export { certificatePdf, certificateQrSvg, workload, type CertificateDocument, type Paper as CertificatePaper } from './certificate-document.ts';
export { decideNameCorrection, latestNameCorrection, listPendingNameCorrections, requestNameCorrection, type NameCorrectionStatus, type PendingNameCorrection } from './name-corrections.ts';

// Specialist status: a learner's request and what the committee sees of it
export { MAX_REASON_LENGTH, MAX_UNIT_LENGTH, requestSpecialistStatus, specialistRequestDetails, type SpecialistRequestDetail } from './specialist-request.ts';
