import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ELIGIBILITY, SCHEME_MEMBERS, SCHEME_WIDE, computed, connectionCost } from '../../platform/graphql/cost';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { type Person, PersonType, personById } from '../people';
import { type Scheme, SchemeType, schemeById } from '../schemes';
import { EligibilityType } from '../training';
import { SchemeRole } from '../schemes';
import { effectiveStatusOf } from './effective-status';
import { MiloStatus } from './milo-lifecycle';
import type { MiloStatusChange } from './milo-status-change.entity';
import type { Milo } from './milo.entity';
import {
  ChangeMiloStatusInput,
  ChangeMiloStatusPayload,
  EnrolMiloInput,
  EnrolMiloPayload,
  ExpiringTrainingType,
  MiloConnection,
  MiloStatusChangeType,
  MiloType,
  MilosFilter,
  SchemeCoverageType,
  UpdateMiloInput,
  UpdateMiloPayload,
} from './milo.types';
import {
  changeMiloStatus,
  coverageOf,
  eligibilityOfMilo,
  enrolMilo,
  historyOf,
  leadOf,
  listMilos,
  membershipsOf,
  milosWithTrainingExpiring,
  teamOf,
  updateMilo,
} from './milos.service';

@Resolver(() => MiloType)
export class MilosResolver {
  @Query(() => MiloConnection, {
    // Filtering by status computes every member's status before the page is cut.
    complexity: (estimate) => connectionCost(estimate) + ((estimate.args.filter as MilosFilter | undefined)?.status ? SCHEME_WIDE : 0),
    description: "A scheme's MILOs by area (scheme admins and the scheme's active Lead MILOs).",
  })
  milos(
    @Arg('schemeId', () => ID) schemeId: string,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => MilosFilter, { nullable: true }) filter: MilosFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listMilos(context, schemeId, args, filter);
  }

  @Query(() => [ExpiringTrainingType], {
    complexity: computed(SCHEME_WIDE, SCHEME_MEMBERS),
    description: "ACTIVE MILOs of a scheme whose eligibility runs out within the next N days (1–365), soonest first.",
  })
  milosWithTrainingExpiring(
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('withinDays', () => Int) withinDays: number,
    @Ctx() context: RequestContext,
  ) {
    return milosWithTrainingExpiring(context, schemeId, withinDays);
  }

  @FieldResolver(() => PersonType)
  person(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return context.loaders.use(personById).load(milo.personId);
  }

  @FieldResolver(() => SchemeType)
  scheme(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return context.loaders.use(schemeById).load(milo.schemeId);
  }

  @FieldResolver(() => SchemeRole)
  role(@Root() milo: Milo) {
    return milo.roleCode;
  }

  @FieldResolver(() => MiloStatus, {
    complexity: ELIGIBILITY,
    description:
      "The status as of today, computed on every read rather than by a scheduled sweep: an ACTIVE MILO whose training ran out reads as LAPSED from that day, and stays LAPSED, even once the training is refreshed, until someone makes them ACTIVE again.",
  })
  status(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return effectiveStatusOf(context, milo);
  }

  @FieldResolver(() => MiloStatus, { description: 'The status last recorded by a move; may still say ACTIVE after the training ran out.' })
  recordedStatus(@Root() milo: Milo) {
    return milo.status;
  }

  @FieldResolver(() => MiloType, { nullable: true, description: 'The supervising Lead MILO.' })
  lead(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return leadOf(context, milo);
  }

  @FieldResolver(() => [MiloType], { description: 'The memberships this Lead MILO supervises.' })
  team(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return teamOf(context, milo);
  }

  @FieldResolver(() => EligibilityType, { complexity: ELIGIBILITY, description: "Eligibility today for the membership's role, from the scheme's requirements and the person's records." })
  eligibility(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return eligibilityOfMilo(context, milo);
  }

  @FieldResolver(() => [MiloStatusChangeType], { description: 'Every move, oldest first.' })
  statusHistory(@Root() milo: Milo, @Ctx() context: RequestContext) {
    return historyOf(context, milo);
  }

  @Mutation(() => EnrolMiloPayload, { description: 'Makes a person an APPLICANT member of a scheme (scheme admins).' })
  async enrolMilo(@Arg('input') input: EnrolMiloInput, @Ctx() context: RequestContext): Promise<EnrolMiloPayload> {
    return { milo: await enrolMilo(context, input) };
  }

  @Mutation(() => ChangeMiloStatusPayload, {
    description:
      "Moves a MILO (scheme admins, or the scheme's active Lead MILOs for others). Becoming ACTIVE needs the role's training: otherwise BAD_USER_INPUT with `extensions.unmet`.",
  })
  changeMiloStatus(@Arg('input') input: ChangeMiloStatusInput, @Ctx() context: RequestContext) {
    return changeMiloStatus(context, input);
  }

  @Mutation(() => UpdateMiloPayload, { description: "Changes a membership's area, capacity or Lead MILO (scheme admins)." })
  async updateMilo(@Arg('input') input: UpdateMiloInput, @Ctx() context: RequestContext): Promise<UpdateMiloPayload> {
    return { milo: await updateMilo(context, input) };
  }
}

@Resolver(() => MiloStatusChangeType)
export class MiloStatusChangeResolver {
  @FieldResolver(() => PersonType, { nullable: true, description: 'Who made the move; null when the platform did (an automatic lapse).' })
  changedBy(@Root() change: MiloStatusChange, @Ctx() context: RequestContext) {
    return change.changedBy ? context.loaders.use(personById).load(change.changedBy) : null;
  }
}

@Resolver(() => PersonType)
export class PersonMembershipsResolver {
  @FieldResolver(() => [MiloType], { description: "The person's scheme memberships (the person, scheme admins, and active Lead MILOs for their own schemes)." })
  miloMemberships(@Root() person: Person, @Ctx() context: RequestContext) {
    return membershipsOf(context, person);
  }
}

@Resolver(() => SchemeType)
export class SchemeCoverageResolver {
  @FieldResolver(() => SchemeCoverageType, {
    complexity: SCHEME_WIDE,
    description: "Active MILOs today, in total and per area (scheme admins and the scheme's active Lead MILOs).",
  })
  coverage(@Root() scheme: Scheme, @Ctx() context: RequestContext) {
    return coverageOf(context, scheme);
  }
}
