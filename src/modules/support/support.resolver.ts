import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { SCHEME_MEMBERS, SCHEME_WIDE, computed, pageOfCheckedRecords } from '../../platform/graphql/cost';
import { toGlobalId } from '../../platform/graphql/global-id';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { type Milo, MiloType } from '../milos';
import { OrganisationType, organisationById } from '../organisations';
import { PersonType, personById } from '../people';
import { SchemeType, schemeById } from '../schemes';
import { closeSupportRequest, contactsOf, logSupportContact, loggedByOf, noteOf, signpostingOf } from './contacts.service';
import type { SupportAssignment } from './support-assignment.entity';
import type { SupportContact } from './support-contact.entity';
import type { SupportRequest } from './support-request.entity';
import type { SupportSignposting } from './support-signposting.entity';
import {
  askForSupport,
  assignedMiloOf,
  assignmentsOf,
  mySupportRequests,
  referrerOf,
  requesterOf,
  summaryOf,
  supportRequestByGlobalId,
  visibleMilo,
  waitingBeyondTargetOf,
  waitingHoursOf,
} from './support-requests.service';
import {
  AskForSupportInput,
  AskForSupportPayload,
  AssignSupportRequestInput,
  AssignSupportRequestPayload,
  CloseSupportRequestInput,
  CloseSupportRequestPayload,
  LogSupportContactInput,
  LogSupportContactPayload,
  MiloCaseloadType,
  SupportAssignmentType,
  SupportContactType,
  SupportRequestConnection,
  SupportRequestType,
  SupportRequestsFilter,
  SupportSignpostingType,
} from './support.types';
import { assignSupportRequest, caseloadsOf, listSupportRequests, myCaseload, openCaseloadOf, openSupportRequestsOf, supportQueue } from './triage.service';

@Resolver(() => SupportRequestType)
export class SupportRequestsResolver {
  @Query(() => SupportRequestType, {
    nullable: true,
    description:
      "A support request: for the colleague, their referrer, the assigned MILO and the scheme's active Lead MILOs (FORBIDDEN for others); null when not in your organisation.",
  })
  supportRequest(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    return supportRequestByGlobalId(context, id);
  }

  @Query(() => SupportRequestConnection, { complexity: pageOfCheckedRecords, description: 'Your own support requests and those you referred, newest first.' })
  mySupportRequests(@Args() args: ConnectionArgs, @Ctx() context: RequestContext) {
    return mySupportRequests(context, args);
  }

  @Query(() => SupportRequestConnection, {
    complexity: pageOfCheckedRecords,
    description:
      "A scheme's WAITING requests, most urgent first (URGENT, SOON, ROUTINE), then oldest first: the Lead MILO's triage queue (the scheme's active Lead MILOs).",
  })
  supportQueue(@Arg('schemeId', () => ID) schemeId: string, @Args() args: ConnectionArgs, @Ctx() context: RequestContext) {
    return supportQueue(context, schemeId, args);
  }

  @Query(() => SupportRequestConnection, {
    complexity: pageOfCheckedRecords,
    description: "A scheme's support requests, newest first, filtered (the scheme's active Lead MILOs).",
  })
  supportRequests(
    @Arg('schemeId', () => ID) schemeId: string,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => SupportRequestsFilter, { nullable: true }) filter: SupportRequestsFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listSupportRequests(context, schemeId, args, filter);
  }

  @Query(() => [MiloCaseloadType], {
    complexity: computed(SCHEME_WIDE, SCHEME_MEMBERS),
    description:
      "Each MILO's open caseload against capacity: every member ACTIVE today and any other still holding open cases, most spare first (the scheme's active Lead MILOs).",
  })
  caseloads(@Arg('schemeId', () => ID) schemeId: string, @Ctx() context: RequestContext) {
    return caseloadsOf(context, schemeId);
  }

  @Query(() => [SupportRequestType], { description: 'The requests assigned to you and still open, most urgent first, then oldest.' })
  myCaseload(@Ctx() context: RequestContext) {
    return myCaseload(context);
  }

  @Mutation(() => AskForSupportPayload, {
    description:
      'Asks the scheme for support, for yourself or a colleague you manage (any member with a person record). When it says someone is at immediate risk, the payload carries crisis signposting at once: this platform is not an emergency service.',
  })
  askForSupport(@Arg('input') input: AskForSupportInput, @Ctx() context: RequestContext) {
    return askForSupport(context, input);
  }

  @Mutation(() => AssignSupportRequestPayload, {
    description:
      "Assigns a WAITING request, or reassigns an ASSIGNED one, to a MILO of the same scheme (the scheme's active Lead MILOs). Refused with BAD_USER_INPUT, `extensions.reason` MILO_NOT_ACTIVE or AT_CAPACITY (all in `extensions.reasons`), when the MILO is not ACTIVE today or their caseload is full, unless `overrideReason` is given; MILO_WITHDRAWN cannot be overridden. A closed request: CONFLICT. Nothing changes on refusal. Audited.",
  })
  assignSupportRequest(@Arg('input') input: AssignSupportRequestInput, @Ctx() context: RequestContext) {
    return assignSupportRequest(context, input);
  }

  @Mutation(() => LogSupportContactPayload, {
    description: 'Logs a contact on a request (the assigned MILO only): date, minutes, themes, outcome, services signposted, an optional note. Audited.',
  })
  logSupportContact(@Arg('input') input: LogSupportContactInput, @Ctx() context: RequestContext) {
    return logSupportContact(context, input);
  }

  @Mutation(() => CloseSupportRequestPayload, {
    description: "Closes a request with an outcome (the assigned MILO, or the scheme's active Lead MILOs, who may also close a WAITING one). Audited.",
  })
  async closeSupportRequest(@Arg('input') input: CloseSupportRequestInput, @Ctx() context: RequestContext): Promise<CloseSupportRequestPayload> {
    return { supportRequest: await closeSupportRequest(context, input) };
  }

  @FieldResolver(() => SchemeType)
  scheme(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return context.loaders.use(schemeById).load(request.schemeId);
  }

  @FieldResolver(() => PersonType, {
    nullable: true,
    description: 'The colleague. Null to Lead MILOs when they asked anonymously; the colleague, their referrer and the assigned MILO always see it.',
  })
  requester(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return requesterOf(context, request);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'The manager who referred the colleague; hidden like the colleague.' })
  referredBy(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return referrerOf(context, request);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The colleague's own words, for them, their referrer, the assigned MILO and the scheme's Lead MILOs; null for others and once the scheme's retention period has run after closing.",
  })
  summary(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return summaryOf(context, request);
  }

  @FieldResolver(() => MiloType, { nullable: true, description: "The MILO who has it: shown to that MILO and the scheme's Lead MILOs." })
  assignedMilo(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return assignedMiloOf(context, request);
  }

  @FieldResolver(() => [SupportAssignmentType], { description: "Every assignment, oldest first (the assigned MILO and the scheme's Lead MILOs)." })
  assignments(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return assignmentsOf(context, request);
  }

  @FieldResolver(() => [SupportContactType], {
    description: 'The contacts logged, in the order they happened: for the colleague, the assigned MILO and the scheme’s Lead MILOs (empty for a referring manager).',
  })
  contacts(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return contactsOf(context, request);
  }

  @FieldResolver(() => Int, {
    description: 'Whole hours it waited for a MILO: until first assigned (or closed unassigned), or until now while WAITING.',
  })
  waitingHours(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return waitingHoursOf(context, request);
  }

  @FieldResolver(() => Boolean, { description: "WAITING now, for longer than the scheme's supportTargetHours." })
  waitingBeyondTarget(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return waitingBeyondTargetOf(context, request);
  }
}

@Resolver(() => SupportContactType)
export class SupportContactResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "Free text for the assigned MILO and the scheme's Lead MILOs only; null for others and once retention has removed it.",
  })
  note(@Root() contact: SupportContact, @Ctx() context: RequestContext) {
    return noteOf(context, contact);
  }

  @FieldResolver(() => MiloType, { nullable: true, description: "The MILO who logged it (to the scheme's Lead MILOs and that MILO)." })
  loggedBy(@Root() contact: SupportContact, @Ctx() context: RequestContext) {
    return loggedByOf(context, contact);
  }

  @FieldResolver(() => [SupportSignpostingType], { description: 'Services signposted in this contact.' })
  signposting(@Root() contact: SupportContact, @Ctx() context: RequestContext) {
    return signpostingOf(context, contact);
  }
}

@Resolver(() => SupportAssignmentType)
export class SupportAssignmentResolver {
  @FieldResolver(() => MiloType, { nullable: true, description: "The MILO assigned (to the scheme's Lead MILOs and that MILO)." })
  milo(@Root() assignment: SupportAssignment, @Ctx() context: RequestContext) {
    return visibleMilo(context, assignment.miloId);
  }

  @FieldResolver(() => PersonType, { description: 'The Lead MILO who assigned it.' })
  assignedBy(@Root() assignment: SupportAssignment, @Ctx() context: RequestContext) {
    return context.loaders.use(personById).load(assignment.assignedBy);
  }
}

@Resolver(() => SupportSignpostingType)
export class SupportSignpostingResolver {
  @FieldResolver(() => ID, { description: 'The SignpostingService signposted (its global ID); `node(id:)` finds it while it is still yours or shared with you.' })
  serviceId(@Root() signposting: SupportSignposting) {
    return toGlobalId('SignpostingService', signposting.serviceId);
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation that owns the service (yours, or a partner sharing it).' })
  serviceOrganisation(@Root() signposting: SupportSignposting, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(signposting.serviceOrganisationId);
  }
}

@Resolver(() => MiloType)
export class MiloCaseloadResolver {
  @FieldResolver(() => Int, { description: 'Support requests ASSIGNED to this MILO now.' })
  openCaseload(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return openCaseloadOf(context, milo);
  }

  @FieldResolver(() => [SupportRequestType], {
    description: "The open requests themselves, most urgent first (the MILO and the scheme's Lead MILOs; FORBIDDEN for scheme admins, who see counts).",
  })
  openSupportRequests(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return openSupportRequestsOf(context, milo);
  }
}
