import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import type { RequestContext } from '../../platform/context';
import { RECORD_EXPORT } from '../../platform/graphql/cost';
import { idOf } from '../../platform/graphql/global-id';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { MiloType } from '../milos';
import { OrganisationType, organisationById } from '../organisations';
import { PersonType, personById } from '../people';
import type { CarePlanInput } from './care-plan-input.entity';
import type { CarePlanInternalNote } from './care-plan-internal-note.entity';
import {
  AddCarePlanInputInput,
  AddCarePlanInputPayload,
  AddCarePlanInternalNoteInput,
  AddCarePlanInternalNotePayload,
  AddCareTeamMemberInput,
  AddCareTeamMemberPayload,
  AnonymiseCarePlanInput,
  AnonymiseCarePlanPayload,
  CarePlansFilter,
  CloseCarePlanInput,
  CloseCarePlanPayload,
  CreateCarePlanInput,
  CreateCarePlanPayload,
  RecordCarePlanConsentInput,
  RecordCarePlanConsentPayload,
  RemoveCareTeamMemberInput,
  RemoveCareTeamMemberPayload,
  UpdateCarePlanInput,
  UpdateCarePlanPayload,
} from './care-plan-mutations.types';
import {
  careTeamOf,
  consentOf,
  findCarePlan,
  inputsOf,
  internalNotesOf,
  lawfulBasisOf,
  leadMiloOf,
  ownerOnly,
  reviewDueOnOf,
  reviewOverdueOf,
  sectionOf,
  subjectOf,
  versionsOf,
} from './care-plan-reading';
import { planAccess } from './care-plan.policy';
import type { CarePlanVersion } from './care-plan-version.entity';
import type { CarePlan, CarePlanStatus } from './care-plan.entity';
import { CarePlanStatus as CarePlanStatusEnum } from './care-plan.entity';
import {
  CarePlanConnection,
  CarePlanConsentType,
  CarePlanInputType,
  CarePlanInternalNoteType,
  CarePlanSubjectType,
  CarePlanType,
  CarePlanVersionType,
  CareTeamMemberType,
} from './care-plan.types';
import {
  addCarePlanInput,
  addCarePlanInternalNote,
  addCareTeamMember,
  carePlanReviewsDue,
  closeCarePlan,
  createCarePlan,
  listCarePlans,
  recordCarePlanConsent,
  removeCareTeamMember,
  updateCarePlan,
} from './care-plans.service';
import type { CareTeamMember } from './care-team-member.entity';
import { anonymiseCarePlan, carePlanSubjectAccessExport } from './subject-access.service';

/** Whether the field is resolved for an item of a list (a path through a list index). */
function insideList(info: GraphQLResolveInfo): boolean {
  for (let path = info.path.prev; path; path = path.prev) if (typeof path.key === 'number') return true;
  return false;
}

const SCOPED = "Null when you may not see it: for a partner, when the agreement's field scope does not name it.";
const OWNER_ONLY = "The owner's readers only; null for partners.";

@Resolver(() => CarePlanType)
export class CarePlansResolver {
  @Query(() => CarePlanConnection, {
    description:
      "Your organisation's care plans by reference, filtered (its active MILOs and Lead MILOs, and its auditors). Listed without who they are about.",
  })
  carePlans(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => CarePlansFilter, { nullable: true }) filter: CarePlansFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listCarePlans(context, args, filter ?? {});
  }

  @Query(() => CarePlanConnection, {
    description:
      'Plans being worked (ACTIVE or UNDER_REVIEW) whose review is overdue or due within the next `withinDays` days (0–366), soonest first.',
  })
  carePlanReviewsDue(
    @Arg('withinDays', () => Int, { defaultValue: 14 }) withinDays: number,
    @Args() args: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    return carePlanReviewsDue(context, withinDays, args);
  }

  @Query(() => CarePlanType, {
    nullable: true,
    description:
      "One care plan: your organisation's (its active MILOs and Lead MILOs, and its auditors; FORBIDDEN for other members), or a partner's shared with you while its agreement allows (each read logged in its owner's log). Null otherwise.",
  })
  carePlan(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    return findCarePlan(context, idOf('CarePlan', id));
  }

  @Query(() => JSONObjectResolver, {
    complexity: RECORD_EXPORT,
    description:
      "Everything your organisation holds about one care plan's subject, as JSON: the plan, the subject, the care team, every input (INTERNAL too), police-only notes, the version history and the audit events about them. Data protection officers (AUDITOR) only; audited.",
  })
  carePlanSubjectAccessExport(@Arg('carePlanId', () => ID) carePlanId: string, @Ctx() context: RequestContext) {
    return carePlanSubjectAccessExport(context, carePlanId);
  }

  @Mutation(() => CreateCarePlanPayload, {
    description: 'Creates a DRAFT care plan with its subject (active MILOs and Lead MILOs). Version 1; audited.',
  })
  async createCarePlan(@Arg('input') input: CreateCarePlanInput, @Ctx() context: RequestContext): Promise<CreateCarePlanPayload> {
    return { carePlan: await createCarePlan(context, input) };
  }

  @Mutation(() => UpdateCarePlanPayload, {
    description:
      'Changes sections, lead MILO, review date, lawful basis or status (DRAFT → ACTIVE → UNDER_REVIEW → ACTIVE). Each change is a new version; audited. A closed plan: CONFLICT.',
  })
  async updateCarePlan(@Arg('input') input: UpdateCarePlanInput, @Ctx() context: RequestContext): Promise<UpdateCarePlanPayload> {
    return { carePlan: await updateCarePlan(context, input) };
  }

  @Mutation(() => RecordCarePlanConsentPayload, { description: "Records the subject's consent, its refusal or withdrawal. A new version; audited." })
  async recordCarePlanConsent(@Arg('input') input: RecordCarePlanConsentInput, @Ctx() context: RequestContext): Promise<RecordCarePlanConsentPayload> {
    return { carePlan: await recordCarePlanConsent(context, input) };
  }

  @Mutation(() => AddCareTeamMemberPayload, {
    description: 'Adds someone to the care team on behalf of your organisation or of a partner you share care plans with. A new version; audited.',
  })
  addCareTeamMember(@Arg('input') input: AddCareTeamMemberInput, @Ctx() context: RequestContext) {
    return addCareTeamMember(context, input);
  }

  @Mutation(() => RemoveCareTeamMemberPayload, { description: 'Removes someone from the care team (kept in the history). A new version; audited.' })
  removeCareTeamMember(@Arg('input') input: RemoveCareTeamMemberInput, @Ctx() context: RequestContext) {
    return removeCareTeamMember(context, input);
  }

  @Mutation(() => AddCarePlanInputPayload, {
    description: "Adds a MILO's input (SHARED or INTERNAL) or a carer's input recorded by a MILO. Audited; inputs are kept as written.",
  })
  addCarePlanInput(@Arg('input') input: AddCarePlanInputInput, @Ctx() context: RequestContext) {
    return addCarePlanInput(context, input);
  }

  @Mutation(() => AddCarePlanInternalNotePayload, { description: 'Adds a police-only note: never shared, whatever an agreement says. Audited.' })
  addCarePlanInternalNote(@Arg('input') input: AddCarePlanInternalNoteInput, @Ctx() context: RequestContext) {
    return addCarePlanInternalNote(context, input);
  }

  @Mutation(() => CloseCarePlanPayload, {
    description: 'Closes a plan (from any status) with a reason and the last day it is kept (today or later). A new version; audited.',
  })
  async closeCarePlan(@Arg('input') input: CloseCarePlanInput, @Ctx() context: RequestContext): Promise<CloseCarePlanPayload> {
    return { carePlan: await closeCarePlan(context, input) };
  }

  @Mutation(() => AnonymiseCarePlanPayload, {
    description:
      "Anonymises a closed plan whose retention has ended (scheme admins): deletes its subject, empties its sections, consent scope and history snapshots, removes the text of its inputs and notes. CONFLICT before then. Audited.",
  })
  async anonymiseCarePlan(@Arg('input') input: AnonymiseCarePlanInput, @Ctx() context: RequestContext): Promise<AnonymiseCarePlanPayload> {
    return { carePlan: await anonymiseCarePlan(context, input) };
  }

  // Fields. Each decides from the caller's access to the plan (care-plan-reading.ts), for the
  // owner and for partners alike; a partner's read of the plan is audited on the first of them.

  @FieldResolver(() => String, { description: "The owner's local, pseudonymous reference." })
  async reference(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    await planAccess(context, plan);
    return plan.reference;
  }

  @FieldResolver(() => CarePlanStatusEnum)
  async status(@Root() plan: CarePlan, @Ctx() context: RequestContext): Promise<CarePlanStatus> {
    await planAccess(context, plan);
    return plan.status;
  }

  @FieldResolver(() => String, { nullable: true, description: `Presentation and triggers. ${SCOPED}` })
  presentationAndTriggers(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return sectionOf(context, plan, 'presentationAndTriggers');
  }

  @FieldResolver(() => String, { nullable: true, description: `What helps. ${SCOPED}` })
  whatHelps(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return sectionOf(context, plan, 'whatHelps');
  }

  @FieldResolver(() => String, { nullable: true, description: `What to avoid. ${SCOPED}` })
  whatToAvoid(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return sectionOf(context, plan, 'whatToAvoid');
  }

  @FieldResolver(() => String, { nullable: true, description: `The agreed police (or fire) response. ${SCOPED}` })
  agreedResponse(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return sectionOf(context, plan, 'agreedResponse');
  }

  @FieldResolver(() => String, { nullable: true, description: `Contacts. ${SCOPED}` })
  contacts(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return sectionOf(context, plan, 'contacts');
  }

  @FieldResolver(() => LocalDate, { nullable: true, description: `When the plan is next reviewed. ${SCOPED}` })
  reviewDueOn(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return reviewDueOnOf(context, plan);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: `True when the review day has passed and the plan is still ACTIVE or UNDER_REVIEW. ${SCOPED} (field reviewDueOn)`,
  })
  reviewOverdue(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return reviewOverdueOf(context, plan);
  }

  @FieldResolver(() => CarePlanConsentType, { nullable: true, description: `The subject's consent as recorded. ${SCOPED} (field consent)` })
  consent(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return consentOf(context, plan);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The lawful basis the plan is held on; to any reader of the plan.' })
  lawfulBasis(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return lawfulBasisOf(context, plan);
  }

  @FieldResolver(() => MiloType, { nullable: true, description: `The MILO or Lead MILO leading the plan. ${OWNER_ONLY}` })
  leadMilo(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return leadMiloOf(context, plan);
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation that owns the plan.' })
  owner(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(plan.tenantId);
  }

  @FieldResolver(() => [CareTeamMemberType], {
    nullable: true,
    description: 'The current care team, each on behalf of their organisation; to any reader of the plan.',
  })
  careTeam(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return careTeamOf(context, plan);
  }

  @FieldResolver(() => [CarePlanInputType], {
    nullable: true,
    description:
      "Inputs, oldest first: every one for the owner (INTERNAL too); for a partner, the SHARED ones while the owner's agreement grants CARE_PLAN_INPUT READ (null otherwise), each read logged in the owner's log.",
  })
  inputs(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return inputsOf(context, plan);
  }

  @FieldResolver(() => CarePlanSubjectType, {
    nullable: true,
    description:
      "Who the plan is about: the owner's readers, and partners whose agreement's field scope names subjectIdentity. One plan at a time: FORBIDDEN inside a list or for a second plan in one request; every read is audited. Null once anonymised.",
  })
  subject(@Root() plan: CarePlan, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo) {
    return subjectOf(context, plan, insideList(info));
  }

  @FieldResolver(() => [CarePlanInternalNoteType], { nullable: true, description: `Police-only notes, oldest first. ${OWNER_ONLY}` })
  internalNotes(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return internalNotesOf(context, plan);
  }

  @FieldResolver(() => [CarePlanVersionType], { nullable: true, description: `Every version, oldest first. ${OWNER_ONLY}` })
  versions(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return versionsOf(context, plan);
  }

  @FieldResolver(() => String, { nullable: true, description: `Why the plan was closed; removed when anonymised. ${OWNER_ONLY}` })
  closureReason(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return ownerOnly(context, plan, 'closureReason', () => plan.closureReason);
  }

  @FieldResolver(() => LocalDate, { nullable: true, description: `Once closed: the last day the plan is kept. ${OWNER_ONLY}` })
  retainUntil(@Root() plan: CarePlan, @Ctx() context: RequestContext) {
    return ownerOnly(context, plan, 'retainUntil', () => plan.retainUntil);
  }
}

@Resolver(() => CarePlanInputType)
export class CarePlanInputResolver {
  @FieldResolver(() => OrganisationType, { description: 'The organisation the author wrote on behalf of.' })
  authorOrganisation(@Root() input: CarePlanInput, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(input.authorOrganisationId);
  }

  @FieldResolver(() => CarePlanType, { nullable: true, description: 'The plan the input belongs to.' })
  carePlan(@Root() input: CarePlanInput, @Ctx() context: RequestContext) {
    return findCarePlan(context, input.carePlanId);
  }
}

@Resolver(() => CareTeamMemberType)
export class CareTeamMemberResolver {
  @FieldResolver(() => OrganisationType, { description: 'The organisation they act on behalf of.' })
  organisation(@Root() member: CareTeamMember, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(member.memberOrganisationId);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: "Their person record, when they belong to the caller's own organisation." })
  person(@Root() member: CareTeamMember, @Ctx() context: RequestContext) {
    if (!member.memberPersonId || member.memberOrganisationId !== context.tenantId) return null;
    return context.loaders.use(personById).load(member.memberPersonId);
  }
}

@Resolver(() => CarePlanInternalNoteType)
export class CarePlanInternalNoteResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  author(@Root() note: CarePlanInternalNote, @Ctx() context: RequestContext) {
    return context.loaders.use(personById).load(note.authorPersonId);
  }
}

@Resolver(() => CarePlanVersionType)
export class CarePlanVersionResolver {
  @FieldResolver(() => JSONObjectResolver, { nullable: true, description: 'The plan after the change; null once anonymised.' })
  snapshot(@Root() version: CarePlanVersion) {
    return version.anonymisedAt ? null : version.snapshot;
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'Who made the change.' })
  changedBy(@Root() version: CarePlanVersion, @Ctx() context: RequestContext) {
    return version.changedBy ? context.loaders.use(personById).load(version.changedBy) : null;
  }
}
