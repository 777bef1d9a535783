import { IsIn, IsOptional, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../../platform/graphql/scalars';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { CarePlanInputKind, InputVisibility } from './care-plan-input.entity';
import { CarePlanStatus, ConsentStatus } from './care-plan.entity';
import { CarePlanInputType, CarePlanInternalNoteType, CarePlanType, CareTeamMemberType } from './care-plan.types';

/*
 * Inputs and payloads of the owner's care-plan mutations: one input and one payload each.
 * Lengths match the tables' checks, so a refusal is a BAD_USER_INPUT naming the field, never
 * a masked database error. Free text is kept exactly as given (SQL or HTML in it is data).
 */

/** The longest text of a plan section, an input or a note (the tables say the same). */
export const MAX_SECTION = 4000;
/** The owner's local references: what the table's check allows. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$/;
const REFERENCE_RULE = 'reference must be 1 to 40 letters, digits or / _ . -, starting with a letter or digit';

/** Sections: absent leaves a section as it is, null empties it. Never referenced itself, so not emitted. */
@InputType('CarePlanSectionsBase')
abstract class SectionsInput {
  @Field(() => String, { nullable: true, description: 'Presentation and triggers (at most 4000 characters).' })
  @IsOptional()
  @FreeText('presentationAndTriggers', MAX_SECTION)
  presentationAndTriggers?: string | null;

  @Field(() => String, { nullable: true, description: 'What helps (at most 4000 characters).' })
  @IsOptional()
  @FreeText('whatHelps', MAX_SECTION)
  whatHelps?: string | null;

  @Field(() => String, { nullable: true, description: 'What to avoid (at most 4000 characters).' })
  @IsOptional()
  @FreeText('whatToAvoid', MAX_SECTION)
  whatToAvoid?: string | null;

  @Field(() => String, { nullable: true, description: 'The agreed police (or fire) response (at most 4000 characters).' })
  @IsOptional()
  @FreeText('agreedResponse', MAX_SECTION)
  agreedResponse?: string | null;

  @Field(() => String, { nullable: true, description: 'Contacts (at most 4000 characters).' })
  @IsOptional()
  @FreeText('contacts', MAX_SECTION)
  contacts?: string | null;
}

@InputType({ description: 'Who the plan is about: kept apart from the plan, never needed to list or share it.' })
export class CarePlanSubjectInput {
  @Field({ description: 'How the owner names the subject (1–200 characters).' })
  @notBlank('displayName')
  @FreeText('displayName', 200)
  displayName: string;

  @Field(() => LocalDate, { nullable: true, description: 'Not in the future.' })
  @IsOptional()
  dateOfBirth?: string | null;

  @Field(() => String, { nullable: true, description: 'Ten digits (spaces or dashes between groups are ignored); the modulus 11 check digit must hold.' })
  @IsOptional()
  @MaxLength(20, { message: 'nhsNumber must be ten digits' })
  nhsNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Local identifiers (at most 500 characters).' })
  @IsOptional()
  @FreeText('localIdentifiers', 500)
  localIdentifiers?: string | null;
}

@InputType({ description: 'A new care plan, created as DRAFT (version 1); updateCarePlan makes it ACTIVE.' })
export class CreateCarePlanInput extends SectionsInput {
  @Field({ description: "The owner's local, pseudonymous reference, unique in the organisation (e.g. CP-HC-0042)." })
  @Matches(REFERENCE_PATTERN, { message: REFERENCE_RULE })
  reference: string;

  @Field({ description: 'The lawful basis for processing (1–500 characters).' })
  @notBlank('lawfulBasis')
  @FreeText('lawfulBasis', 500)
  lawfulBasis: string;

  @Field(() => ID, { nullable: true, description: "An ACTIVE MILO or Lead MILO membership of your organisation; defaults to your own." })
  @IsOptional()
  leadMiloId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'When the plan is next reviewed; not in the past.' })
  @IsOptional()
  reviewDueOn?: string | null;

  @Field(() => CarePlanSubjectInput)
  @ValidateNested()
  subject: CarePlanSubjectInput;
}

@InputType({
  description:
    'Changes a plan: absent fields stay as they are; null empties a section, the review date or the lead. Each change is a new version. Status moves DRAFT → ACTIVE → UNDER_REVIEW → ACTIVE; closing is closeCarePlan.',
})
export class UpdateCarePlanInput extends SectionsInput {
  @Field(() => ID)
  carePlanId: string;

  @Field(() => Int, { nullable: true, description: 'The version you edited; CONFLICT when the plan has changed since.' })
  @IsOptional()
  @Min(1)
  expectedVersion?: number | null;

  @Field(() => CarePlanStatus, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(CarePlanStatus))
  status?: CarePlanStatus | null;

  @Field(() => ID, { nullable: true, description: 'An ACTIVE MILO or Lead MILO membership of your organisation; null for none.' })
  @IsOptional()
  leadMiloId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Not in the past; null for none.' })
  @IsOptional()
  reviewDueOn?: string | null;

  @Field(() => String, { nullable: true, description: '1–500 characters; cannot be emptied.' })
  @IsOptional()
  @notBlank('lawfulBasis')
  @FreeText('lawfulBasis', 500)
  lawfulBasis?: string | null;
}

const RECORDABLE_CONSENT = [ConsentStatus.GIVEN, ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN];

@InputType({ description: "Records the subject's consent, its refusal or its withdrawal. Withdrawing it stops sharing that requires consent on the next request." })
export class RecordCarePlanConsentInput {
  @Field(() => ID)
  carePlanId: string;

  @Field(() => ConsentStatus, { description: 'GIVEN, REFUSED or WITHDRAWN.' })
  @IsIn(RECORDABLE_CONSENT, { message: 'status must be GIVEN, REFUSED or WITHDRAWN' })
  status: ConsentStatus;

  @Field(() => String, { nullable: true, description: 'What was agreed or refused (at most 1000 characters); required when GIVEN.' })
  @IsOptional()
  @FreeText('scope', 1000)
  scope?: string | null;

  @Field(() => LocalDate, { description: 'The day it was given, refused or withdrawn; not in the future.' })
  recordedOn: string;
}

@InputType({
  description:
    "Adds someone to a plan's care team on behalf of an organisation: yours (a person of your organisation, or a name) or a partner you share care plans with (a name and a role: you cannot see a partner's people).",
})
export class AddCareTeamMemberInput {
  @Field(() => ID)
  carePlanId: string;

  @Field(() => ID, { description: 'Your organisation, or a partner organisation an agreement in force shares care plans with.' })
  organisationId: string;

  @Field(() => ID, { nullable: true, description: 'A person of your organisation; not for partner members.' })
  @IsOptional()
  personId?: string | null;

  @Field({ description: 'How they are named on the plan (1–200 characters).' })
  @notBlank('displayName')
  @FreeText('displayName', 200)
  displayName: string;

  @Field({ description: 'Their part in the plan, e.g. "Community mental health nurse" (1–100 characters).' })
  @notBlank('role')
  @FreeText('role', 100)
  role: string;
}

@InputType()
export class RemoveCareTeamMemberInput {
  @Field(() => ID)
  careTeamMemberId: string;
}

const OWNER_INPUT_KINDS = [CarePlanInputKind.MILO, CarePlanInputKind.CARER];

@InputType({ description: "A MILO's input to a plan, or a carer's input recorded by a MILO." })
export class AddCarePlanInputInput {
  @Field(() => ID)
  carePlanId: string;

  @Field(() => CarePlanInputKind, { description: 'MILO or CARER (partners contribute through their own mutation).' })
  @IsIn(OWNER_INPUT_KINDS, { message: 'kind must be MILO or CARER' })
  kind: CarePlanInputKind;

  @Field(() => InputVisibility, { description: 'SHARED with partners under the agreement, or INTERNAL to your organisation.' })
  @IsIn(Object.values(InputVisibility))
  visibility: InputVisibility;

  @Field({ description: '1–4000 characters.' })
  @notBlank('body')
  @FreeText('body', MAX_SECTION)
  body: string;

  @Field(() => String, { nullable: true, description: "For a carer's input: who they are to the subject (e.g. Mother), at most 100 characters; required for CARER." })
  @IsOptional()
  @FreeText('carerRelationship', 100)
  carerRelationship?: string | null;
}

@InputType({ description: 'A police-only note on a plan.' })
export class AddCarePlanInternalNoteInput {
  @Field(() => ID)
  carePlanId: string;

  @Field({ description: '1–4000 characters.' })
  @notBlank('body')
  @FreeText('body', MAX_SECTION)
  body: string;
}

@InputType({ description: 'Closes a plan (from any status) and says how long it is kept.' })
export class CloseCarePlanInput {
  @Field(() => ID)
  carePlanId: string;

  @Field({ description: 'Why (1–1000 characters); removed when the plan is anonymised.' })
  @notBlank('reason')
  @FreeText('reason', 1000)
  reason: string;

  @Field(() => LocalDate, { description: 'The last day the plan is kept; today or later. From the day after, a scheme admin may anonymise it.' })
  retainUntil: string;
}

@InputType()
export class AnonymiseCarePlanInput {
  @Field(() => ID)
  carePlanId: string;
}

@InputType({ description: "Filters for your organisation's care plans." })
export class CarePlansFilter {
  @Field(() => CarePlanStatus, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(CarePlanStatus))
  status?: CarePlanStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only plans whose review is overdue; false: only plans whose review is not.' })
  @IsOptional()
  reviewOverdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only plans this MILO membership leads.' })
  @IsOptional()
  leadMiloId?: string | null;
}

/** How far ahead carePlanReviewsDue looks at most. */
export const MAX_REVIEW_WINDOW_DAYS = 366;

@ObjectType()
export class CreateCarePlanPayload {
  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class UpdateCarePlanPayload {
  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class RecordCarePlanConsentPayload {
  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class AddCareTeamMemberPayload {
  @Field(() => CareTeamMemberType)
  careTeamMember: CareTeamMemberType;

  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class RemoveCareTeamMemberPayload {
  @Field(() => CareTeamMemberType)
  careTeamMember: CareTeamMemberType;

  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class AddCarePlanInputPayload {
  @Field(() => CarePlanInputType)
  input: CarePlanInputType;

  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class AddCarePlanInternalNotePayload {
  @Field(() => CarePlanInternalNoteType)
  internalNote: CarePlanInternalNoteType;

  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class CloseCarePlanPayload {
  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

@ObjectType()
export class AnonymiseCarePlanPayload {
  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}

