import { ArrayMaxSize, IsIn, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { MiloType } from '../milos';
import { SignpostingServiceType } from '../signposting';
import { AdviceRequestStatus } from './advice-request.entity';
import { SupportRequestStatus } from './support-request.entity';
import { AssignmentRefusal } from './triage';
import { MAX_CODE, MinutesSpent, SupportThemeCodes } from './contact-fields';
import { Urgency } from './urgency';

registerEnumType(SupportRequestStatus, {
  name: 'SupportRequestStatus',
  valuesConfig: {
    WAITING: { description: 'Not yet assigned to a MILO.' },
    ASSIGNED: { description: 'A MILO has it.' },
    CLOSED: { description: 'Finished, with an outcome.' },
  },
});
registerEnumType(AdviceRequestStatus, {
  name: 'AdviceRequestStatus',
  valuesConfig: { WAITING: { description: 'Not yet answered.' }, ANSWERED: { description: 'A MILO has answered.' } },
});
registerEnumType(AssignmentRefusal, {
  name: 'AssignmentRefusal',
  description: 'Why assigning a support request to a MILO was refused (`extensions.reason` of the BAD_USER_INPUT error).',
  valuesConfig: {
    MILO_NOT_ACTIVE: { description: 'The MILO is not ACTIVE today (applicant, in training, suspended or lapsed). A Lead may override with a reason.' },
    AT_CAPACITY: { description: "The MILO's open caseload has reached their capacity. A Lead may override with a reason." },
    MILO_WITHDRAWN: { description: 'The MILO has withdrawn from the scheme; cannot be overridden.' },
  },
});

const URGENCIES = Object.values(Urgency);
const REQUEST_STATUSES = Object.values(SupportRequestStatus);

/** Longest free text on a case (the tables' checks say the same). */
export const MAX_CASE_TEXT = 4000;
/** A taxonomy code, as the taxonomy_term table allows them. */

/*
 * Object types of the support module. Fields that need a rule (who the colleague is, free
 * text) are field resolvers in support.resolver.ts, not plain fields here.
 */

@ObjectType('SupportRequest', {
  implements: Node,
  description:
    "A colleague's request for support from the scheme, made by themself or referred by their manager. Kept minimal: no clinical detail.",
})
export class SupportRequestType extends Node {
  @Field({ description: 'The colleague asked not to be named to anyone but the assigned MILO.' })
  anonymous: boolean;

  @Field(() => Urgency)
  urgency: Urgency;

  @Field({ description: 'The request said someone is at immediate risk.' })
  immediateRisk: boolean;

  @Field(() => String, { nullable: true })
  preferredArea: string | null;

  @Field(() => SupportRequestStatus)
  status: SupportRequestStatus;

  @Field(() => Date, { nullable: true })
  assignedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The CLOSURE_OUTCOME code it was closed with.' })
  closureOutcomeCode: string | null;

  @Field(() => Date, { nullable: true, description: 'When retention removed its free text; the counts stay.' })
  freeTextRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType('SupportContact', { implements: Node, description: 'One contact a MILO logged on a support request.' })
export class SupportContactType extends Node {
  @Field(() => LocalDate)
  contactOn: string;

  @Field(() => Int)
  minutes: number;

  @Field(() => [String], { description: 'SUPPORT_THEME codes.' })
  themeCodes: string[];

  @Field({ description: 'A CONTACT_OUTCOME code.' })
  outcomeCode: string;

  @Field(() => Date, { nullable: true, description: 'When retention removed the note.' })
  noteRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType('AdviceRequest', {
  implements: Node,
  description: "An officer's request for advice about a member of the public they are dealing with, answered by a MILO.",
})
export class AdviceRequestType extends Node {
  @Field({ description: "The force's incident or occurrence reference." })
  incidentReference: string;

  @Field(() => Urgency)
  urgency: Urgency;

  @Field(() => String, { nullable: true })
  area: string | null;

  @Field(() => [String], { description: 'SUPPORT_THEME codes, set by the answering MILO.' })
  themeCodes: string[];

  @Field(() => AdviceRequestStatus)
  status: AdviceRequestStatus;

  @Field(() => Date, { nullable: true })
  answeredAt: Date | null;

  @Field(() => Int, { nullable: true })
  minutes: number | null;

  @Field(() => Date, { nullable: true })
  freeTextRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class SupportRequestConnection extends Connection('SupportRequest', SupportRequestType) {}

@ObjectType()
export class AdviceRequestConnection extends Connection('AdviceRequest', AdviceRequestType) {}

@ObjectType('SupportAssignment', { description: 'One assignment of a support request to a MILO: who assigned it, when, and any override of the checks.' })
export class SupportAssignmentType {
  @Field()
  assignedAt: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Why the Lead assigned the case although the MILO was not ACTIVE or was at capacity; null when no check was overridden.',
  })
  overrideReason: string | null;
}

@ObjectType('SupportSignposting', {
  description: 'A service signposted during a contact. The name is kept as it was, so the record still reads after a partner stops sharing the service.',
})
export class SupportSignpostingType {
  @Field({ description: 'The service’s name when it was signposted.' })
  serviceName: string;
}

@ObjectType('CrisisSignposting', {
  description:
    'What a request that says someone is at immediate risk gets back at once: the platform is not an emergency service, what the scheme says to do, and the crisis services open to the organisation (its own and those partners share with it).',
})
export class CrisisSignpostingType {
  @Field({ description: 'Fixed: this platform is not an emergency service; call 999 if a life is at risk.' })
  notice: string;

  @Field(() => String, { nullable: true, description: "The scheme's own crisis guidance." })
  guidance: string | null;

  @Field(() => [SignpostingServiceType], { description: 'Active crisis services, emergency first, own and shared.' })
  services: SignpostingServiceType[];
}

@ObjectType('MiloCaseload', { description: "One MILO's open caseload against their capacity." })
export class MiloCaseloadType {
  @Field(() => MiloType)
  milo: MiloType;

  @Field(() => Int, { description: 'Support requests ASSIGNED to the MILO now.' })
  openCaseload: number;

  @Field(() => Int, { description: 'Most open cases the MILO takes at once.' })
  capacity: number;

  @Field(() => Int, { description: 'Cases the MILO can still take: capacity − open caseload, never below 0.' })
  spare: number;
}

// ---------------------------------------------------------------------------------------------
// Inputs and payloads

@InputType({
  description:
    'A request for support: for yourself, or (`forPersonId`) for a colleague you manage. No clinical detail: the summary is optional, read only by you, the assigned MILO and the scheme’s Lead MILOs, and removed by the scheme’s retention period after the request closes.',
})
export class AskForSupportInput {
  @Field(() => ID)
  schemeId: string;

  @Field(() => Urgency)
  @IsIn(URGENCIES)
  urgency: Urgency;

  @Field({
    defaultValue: false,
    description: 'Someone is at immediate risk. The payload then carries crisis signposting; the platform is not an emergency service.',
  })
  immediateRisk: boolean;

  @Field(() => String, { nullable: true, description: 'Area or station where support would suit (at most 100 characters).' })
  @IsOptional()
  @FreeText('preferredArea', 100)
  preferredArea?: string | null;

  @Field(() => String, { nullable: true, description: `Optional free text, at most ${MAX_CASE_TEXT} characters; no clinical detail.` })
  @IsOptional()
  @FreeText('summary', MAX_CASE_TEXT)
  summary?: string | null;

  @Field({ defaultValue: false, description: 'Name the colleague to nobody but the assigned MILO (Lead MILOs see the request, not who it is).' })
  anonymous: boolean;

  @Field(() => ID, {
    nullable: true,
    description: 'A colleague of your organisation you are referring (as their manager); you are then recorded as the referrer.',
  })
  @IsOptional()
  forPersonId?: string | null;
}

@ObjectType()
export class AskForSupportPayload {
  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;

  @Field(() => CrisisSignpostingType, { nullable: true, description: 'Present when the request says someone is at immediate risk.' })
  crisisSignposting: CrisisSignpostingType | null;
}

@InputType({
  description:
    "Assigns a WAITING request to a MILO of the same scheme, or reassigns an ASSIGNED one (the scheme's ACTIVE Lead MILOs). Refused with BAD_USER_INPUT and `extensions.reason` (an AssignmentRefusal; `extensions.reasons` lists all) when the MILO is not ACTIVE today or their open caseload has reached capacity, unless `overrideReason` is given; nothing changes on refusal.",
})
export class AssignSupportRequestInput {
  @Field(() => ID)
  requestId: string;

  @Field(() => ID, { description: 'A Milo (MILO or Lead MILO membership) of the request’s scheme.' })
  miloId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why to assign anyway when a check fails (1–1000 characters); recorded on the assignment and audited. Not stored when no check fails.',
  })
  @IsOptional()
  @notBlank('overrideReason')
  @FreeText('overrideReason', 1000)
  overrideReason?: string | null;
}

@ObjectType()
export class AssignSupportRequestPayload {
  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;

  @Field(() => SupportAssignmentType, { description: 'The assignment this wrote.' })
  assignment: SupportAssignmentType;

  @Field(() => [AssignmentRefusal], { description: 'The checks the override beat; empty when none failed.' })
  overridden: AssignmentRefusal[];
}

@InputType({ description: 'One contact the assigned MILO had with the colleague. Codes come from the organisation’s own taxonomies.' })
export class LogSupportContactInput {
  @Field(() => ID)
  requestId: string;

  @Field(() => LocalDate, { description: 'The day of the contact: not in the future, not before the request was made.' })
  contactOn: string;

  @MinutesSpent()
  minutes: number;

  @SupportThemeCodes()
  themeCodes: string[];

  @Field({ description: 'A CONTACT_OUTCOME code (an active term).' })
  @MaxLength(MAX_CODE)
  outcomeCode: string;

  @Field(() => [ID], {
    defaultValue: [],
    description: 'SignpostingService IDs signposted (at most 20): your organisation’s own, or shared with it by a partner under an agreement in force.',
  })
  @ArrayMaxSize(20)
  signpostedServiceIds: string[];

  @Field(() => String, {
    nullable: true,
    description: `Optional note, at most ${MAX_CASE_TEXT} characters, no clinical detail: read only by the assigned MILO and Lead MILOs, removed by the scheme’s retention period.`,
  })
  @IsOptional()
  @FreeText('note', MAX_CASE_TEXT)
  note?: string | null;
}

@ObjectType()
export class LogSupportContactPayload {
  @Field(() => SupportContactType)
  contact: SupportContactType;

  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;
}

@InputType({ description: 'Closes a request with an outcome: the assigned MILO, or a Lead MILO of the scheme (who may also close a WAITING one, e.g. withdrawn).' })
export class CloseSupportRequestInput {
  @Field(() => ID)
  requestId: string;

  @Field({ description: 'A CLOSURE_OUTCOME code (an active term).' })
  @MaxLength(MAX_CODE)
  outcomeCode: string;
}

@ObjectType()
export class CloseSupportRequestPayload {
  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;
}

@InputType({ description: 'Filters for a scheme’s support requests; all given filters must match.' })
export class SupportRequestsFilter {
  @Field(() => SupportRequestStatus, { nullable: true })
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: SupportRequestStatus | null;

  @Field(() => ID, { nullable: true, description: 'Only requests assigned to this MILO now.' })
  @IsOptional()
  assignedMiloId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only requests WAITING longer than the scheme's supportTargetHours; false: only the others.",
  })
  @IsOptional()
  waitingBeyondTarget?: boolean | null;
}
