// Workshop Actions: validate the form, resolve the course from the catalogue, call the domain (which asks the policy
// and audits). Every one works as a plain form post.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { WORKSHOP_MODES } from '../../db/schema.ts';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { getCourse, getCourses } from '../app/content.ts';
import { domainHandler } from '../app/domain-error.ts';
import { getDb } from '../app/db.ts';
import { requireUser } from '../app/guard.ts';
import { MAX_IMPORT_BYTES, parseImportFile } from '../server/admin/import.ts';
import { DomainError } from '../server/errors.ts';
import {
  addParticipants,
  authorizedWorkshop,
  closeWorkshop,
  commitRosterImport,
  createWorkshop,
  CLIENT_ID,
  loadWorkshop,
  markWorkshopHeld,
  recordSessionAttendance,
  removeParticipant,
  stageRosterImport,
  updateWorkshop,
  type WorkshopInput,
} from '../server/workshops/index.ts';

const id = z.coerce.number({ error: 'errors.invalidInput' }).int({ error: 'errors.invalidInput' }).positive({ error: 'errors.invalidInput' });
const text = (min: number, max: number, key: 'workshops.error.titleRequired' | 'workshops.error.placeRequired' | 'workshops.error.facilitatorsRequired') =>
  z.string({ error: key }).trim().min(min, { error: key }).max(max, { error: 'admin.error.tooLong' });
const day = z.string({ error: 'workshops.error.dates' }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'workshops.error.dates' });
const wholeNumber = (key: 'workshops.error.capacity' | 'workshops.error.rule') => z.coerce.number({ error: key }).int({ error: key });

const workshopFields = {
  titleEs: text(3, 200, 'workshops.error.titleRequired'),
  titleEn: text(3, 200, 'workshops.error.titleRequired'),
  course: z.string({ error: 'workshops.error.course' }).min(1, { error: 'workshops.error.course' }).max(100, { error: 'workshops.error.course' }),
  mode: z.enum(WORKSHOP_MODES, { error: 'workshops.error.mode' }),
  place: text(2, 300, 'workshops.error.placeRequired'),
  facilitators: text(2, 1000, 'workshops.error.facilitatorsRequired'),
  capacity: wholeNumber('workshops.error.capacity'),
  startsOn: day,
  endsOn: day,
  rule: wholeNumber('workshops.error.rule'),
  postTest: z.boolean(),
  // The form's day rows: parallel lists, blank rows left out below.
  sessionDay: z.array(z.string().max(20, { error: 'workshops.error.sessionDay' })).max(60, { error: 'workshops.error.tooManySessions' }),
  sessionHours: z.array(z.string().max(10, { error: 'workshops.error.sessionHours' })).max(60, { error: 'workshops.error.tooManySessions' }),
  institution: z.array(id).max(500, { error: 'errors.invalidInput' }),
};

type Fields = { [K in keyof typeof workshopFields]: z.infer<(typeof workshopFields)[K]> };

/** The form as the domain's input; a day row with only one of its two cells filled is an error, not a blank. */
function toInput(fields: Fields, countryCode: string | null): WorkshopInput {
  const sessions: WorkshopInput['sessions'] = [];
  const rows = Math.max(fields.sessionDay.length, fields.sessionHours.length);
  for (let i = 0; i < rows; i++) {
    const dayText = (fields.sessionDay[i] ?? '').trim();
    const hoursText = (fields.sessionHours[i] ?? '').trim().replace(',', '.');
    if (!dayText && !hoursText) continue;
    const hours = Number(hoursText);
    if (!dayText || !hoursText || !Number.isFinite(hours)) throw new DomainError('invalid', 'workshops.error.sessionHours');
    sessions.push({ day: dayText, hours });
  }
  return {
    countryCode,
    titleEs: fields.titleEs,
    titleEn: fields.titleEn,
    courseSlug: fields.course,
    mode: fields.mode,
    place: fields.place,
    facilitators: fields.facilitators,
    capacity: fields.capacity,
    startsOn: fields.startsOn,
    endsOn: fields.endsOn,
    attendanceRulePercent: fields.rule,
    requiresPostTest: fields.postTest,
    sessions,
    institutionIds: fields.institution,
  };
}

const courseIds = async () => (await getCourses()).map((c) => c.id);

export const workshops = {
  create: defineAction({
    accept: 'form',
    // 'region' is the coordinator's regional workshop (no country).
    input: z.object({ country: z.string({ error: 'errors.countryRequired' }).regex(/^([A-Z]{2}|region)$/, { error: 'errors.countryRequired' }), ...workshopFields }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const countryCode = input.country === 'region' ? null : input.country;
      return createWorkshop(getDb(), user, toInput(input, countryCode), { courseIds: await courseIds(), ip: context.locals.ip });
    }),
  }),

  update: defineAction({
    accept: 'form',
    input: z.object({ id, ...workshopFields }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const { countryCode: _fixed, ...fields } = toInput(input, null);
      await updateWorkshop(getDb(), user, input.id, fields, { courseIds: await courseIds(), ip: context.locals.ip });
      return { id: input.id };
    }),
  }),

  markHeld: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await markWorkshopHeld(getDb(), user, input.id, { ip: context.locals.ip });
      return { id: input.id };
    }),
  }),

  close: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const workshop = await loadWorkshop(getDb(), input.id);
      const course = await getCourse(workshop.courseSlug);
      // A course removed from the catalogue since the workshop was created cannot be credited.
      if (!course) throw new DomainError('conflict', 'workshops.error.course', workshop.courseSlug);
      const result = await closeWorkshop(getDb(), user, input.id, course, { ip: context.locals.ip });
      return { alreadyClosed: result.alreadyClosed, outcomes: result.outcomes };
    }),
  }),

  addParticipants: defineAction({
    accept: 'form',
    input: z.object({ id, emails: z.string({ error: 'workshops.roster.emailsRequired' }).max(60_000, { error: 'workshops.roster.tooMany' }) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const emails = input.emails.split(/[\s,;]+/).filter(Boolean);
      return addParticipants(getDb(), user, input.id, emails, { ip: context.locals.ip });
    }),
  }),

  removeParticipant: defineAction({
    accept: 'form',
    input: z.object({ id, user: id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      return removeParticipant(getDb(), user, input.id, input.user, { ip: context.locals.ip });
    }),
  }),

  importPreview: defineAction({
    accept: 'form',
    input: z.object({
      id,
      file: z.instanceof(File, { error: 'admin.import.fileRequired' }).refine((f) => f.size > 0, { error: 'admin.import.fileRequired' }).refine((f) => f.size <= MAX_IMPORT_BYTES, { error: 'errors.tooLarge' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      // Authorised before the file is read: the workshop's country decides.
      await authorizedWorkshop(getDb(), user, 'workshop.manage', input.id);
      const rows = await parseImportFile(new Uint8Array(await input.file.arrayBuffer()), input.file.name);
      return stageRosterImport(getDb(), user, input.id, { fileName: input.file.name || 'import', rows });
    }),
  }),

  importCommit: defineAction({
    accept: 'form',
    input: z.object({ id, batch: id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await commitRosterImport(getDb(), user, input.id, input.batch, { origin: publicOrigin(), ip: context.locals.ip });
      deliverMailSoon();
      return result;
    }),
  }),

  recordAttendance: defineAction({
    accept: 'form',
    input: z.object({
      session: id,
      clientId: z.string({ error: 'workshops.attendance.clientId' }).regex(CLIENT_ID, { error: 'workshops.attendance.clientId' }),
      listed: z.array(id).max(2_000, { error: 'errors.invalidInput' }),
      present: z.array(id).max(2_000, { error: 'errors.invalidInput' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      return recordSessionAttendance(getDb(), user, { sessionId: input.session, listed: input.listed, present: input.present, clientId: input.clientId, ip: context.locals.ip });
    }),
  }),
};
