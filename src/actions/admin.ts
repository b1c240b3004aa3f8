// Administration Actions: parse → authorise → call the domain (which asks the policy about the record and audits) →
// return; a refusal is the domain's DomainError, turned into the form's ActionError by domainHandler.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { PROGRAMMES, ROLES } from '../../db/schema.ts';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { domainHandler } from '../app/domain-error.ts';
import { refusal, type Failure, type Refusals } from '../server/errors.ts';
import { getDb } from '../app/db.ts';
import { authorize, requireUser } from '../app/guard.ts';
import { commitImport, createImportPreview, MAX_IMPORT_BYTES, parseImportFile, type CommitResult } from '../server/admin/import.ts';
import { createInstitution, setInstitutionActive, setInstitutionTargets, updateInstitution, updateNationalBody } from '../server/admin/institutions.ts';
import { INVITABLE_ROLES, inviteUser } from '../server/admin/invitations.ts';
import { changeInstitution, changeRole, decideSpecialistRequest, revokeCertificate, setUserActive } from '../server/admin/people.ts';
import { resetSecondFactor } from '../server/auth/two-factor.ts';
import { personNameField } from '../app/person-name-field.ts';

const id = z.coerce.number({ error: 'errors.invalidInput' }).int().positive({ error: 'errors.invalidInput' });
const country = z.string({ error: 'errors.countryRequired' }).regex(/^[A-Z]{2}$/, { error: 'errors.countryRequired' });
const name = z.string({ error: 'admin.error.nameRequired' }).trim().min(2, { error: 'admin.error.nameRequired' }).max(160, { error: 'errors.nameTooLong' });
// An empty optional field arrives as null (Astro's form parsing): accept it.
const optionalText = (max: number) => z.string().trim().max(max, { error: 'admin.error.tooLong' }).nullish().transform((v) => v || null);
const email = z.string({ error: 'errors.emailInvalid' }).trim().max(254, { error: 'errors.emailInvalid' }).pipe(z.email({ error: 'errors.emailInvalid' }));
const reason = z.string({ error: 'admin.error.reasonRequired' }).trim().min(3, { error: 'admin.error.reasonRequired' }).max(500, { error: 'admin.error.tooLong' });
const checkbox = z.boolean();
const institutionFields = { name, acronym: optionalText(30), sector: z.string({ error: 'admin.institutions.sectorUnknown' }).min(1, { error: 'admin.institutions.sectorUnknown' }) };
const targetField = z
  .string()
  .trim()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 10_000_000) {
      ctx.addIssue({ code: 'custom', message: 'admin.targets.invalid' });
      return z.NEVER;
    }
    return n;
  });

// How the import commit's refusal reads (src/server/errors.ts: a new failure in its union is a type error here).
const COMMIT_IMPORT: Refusals<Failure<CommitResult>> = { hasErrors: ['invalid', 'admin.import.fixErrorsFirst'] };

export const admin = {
  createInstitution: defineAction({
    accept: 'form',
    input: z.object({ country, ...institutionFields }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const created = await createInstitution(getDb(), user, input.country, { name: input.name, acronym: input.acronym, sectorCode: input.sector }, context.locals.ip);
      return { id: created.id };
    }),
  }),

  updateInstitution: defineAction({
    accept: 'form',
    input: z.object({ id, ...institutionFields }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await updateInstitution(getDb(), user, input.id, { name: input.name, acronym: input.acronym, sectorCode: input.sector }, context.locals.ip);
      return { id: input.id };
    }),
  }),

  setInstitutionActive: defineAction({
    accept: 'form',
    input: z.object({ id, active: z.enum(['0', '1']) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await setInstitutionActive(getDb(), user, input.id, input.active === '1', context.locals.ip);
      return { id: input.id, active: input.active === '1' };
    }),
  }),

  setTargets: defineAction({
    accept: 'form',
    input: z.object({ id, ...Object.fromEntries(PROGRAMMES.map((p) => [p, targetField])) } as { id: typeof id } & Record<(typeof PROGRAMMES)[number], typeof targetField>),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const targets = Object.fromEntries(PROGRAMMES.map((p) => [p, input[p]]));
      await setInstitutionTargets(getDb(), user, input.id, targets, context.locals.ip);
      return { id: input.id };
    }),
  }),

  updateNationalBody: defineAction({
    accept: 'form',
    input: z.object({ country, nameEs: name, nameEn: name, acronym: optionalText(30), hotline: optionalText(300), referralContact: optionalText(1000) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await updateNationalBody(getDb(), user, input.country, input, context.locals.ip);
      return { country: input.country };
    }),
  }),

  invite: defineAction({
    accept: 'form',
    input: z.object({
      name: personNameField,
      email,
      institution: id,
      role: z.enum(INVITABLE_ROLES, { error: 'errors.invalidInput' }),
      specialist: checkbox,
      locale: z.enum(['es', 'en'], { error: 'errors.invalidInput' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await inviteUser(getDb(), user, { name: input.name, email: input.email, institutionId: input.institution, role: input.role, specialist: input.specialist, locale: input.locale }, { origin: publicOrigin(), ip: context.locals.ip });
      deliverMailSoon();
      return { userId: result.userId, email: input.email, resent: result.resent === true };
    }),
  }),

  importPreview: defineAction({
    accept: 'form',
    input: z.object({
      country,
      file: z.instanceof(File, { error: 'admin.import.fileRequired' }).refine((f) => f.size > 0, { error: 'admin.import.fileRequired' }).refine((f) => f.size <= MAX_IMPORT_BYTES, { error: 'errors.tooLarge' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'people.manage', { countryCode: input.country });
      const rows = await parseImportFile(new Uint8Array(await input.file.arrayBuffer()), input.file.name);
      const preview = await createImportPreview(getDb(), user, { countryCode: input.country, fileName: input.file.name || 'import', rows });
      return { batchId: preview.batchId };
    }),
  }),

  importCommit: defineAction({
    accept: 'form',
    input: z.object({ batch: id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await commitImport(getDb(), user, input.batch, { origin: publicOrigin(), ip: context.locals.ip });
      if (!result.ok) throw refusal(COMMIT_IMPORT, result.error);
      deliverMailSoon();
      return result;
    }),
  }),

  setUserActive: defineAction({
    accept: 'form',
    input: z.object({ id, active: z.enum(['0', '1']) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await setUserActive(getDb(), user, input.id, input.active === '1', context.locals.ip);
      return { id: input.id };
    }),
  }),

  changeInstitution: defineAction({
    accept: 'form',
    input: z.object({ id, institution: id }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await changeInstitution(getDb(), user, input.id, input.institution, context.locals.ip);
      return { id: input.id };
    }),
  }),

  changeRole: defineAction({
    accept: 'form',
    input: z.object({ id, role: z.enum(ROLES, { error: 'errors.invalidInput' }) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await changeRole(getDb(), user, input.id, input.role, context.locals.ip);
      return { id: input.id };
    }),
  }),

  resetTwoFactor: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'user.changeRole');
      await resetSecondFactor(getDb(), user, input.id, context.locals.ip);
      return { id: input.id };
    }),
  }),

  revokeCertificate: defineAction({
    accept: 'form',
    input: z.object({ certificate: id, reason }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await revokeCertificate(getDb(), user, input.certificate, input.reason, context.locals.ip);
      return { certificate: input.certificate };
    }),
  }),

  decideSpecialist: defineAction({
    accept: 'form',
    input: z.object({ id, decision: z.enum(['approve', 'reject'], { error: 'errors.invalidInput' }), reason }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      await decideSpecialistRequest(getDb(), user, input.id, { approve: input.decision === 'approve', reason: input.reason }, { origin: publicOrigin(), ip: context.locals.ip });
      deliverMailSoon();
      return { id: input.id, decision: input.decision };
    }),
  }),
};
