import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { CarePlanConnection } from '../care-plans';
import { CarePlansSharedWithUsFilter, ContributeCarePlanInputInput, ContributeCarePlanInputPayload } from './partner-care-plans.types';
import { contributeCarePlanInput, listCarePlansSharedWithUs } from './partner-care-plans.service';

/** The partner's root fields; the plans' own fields are the CarePlan type's (care-plans module). */
@Resolver()
export class PartnerCarePlansResolver {
  @Query(() => CarePlanConnection, {
    description:
      "Care plans shared with the caller's organisation by every owner whose data sharing agreement in force grants CARE_PLAN READ and whose rule's conditions the plan meets (partner users), by reference. Fields outside the rule's field scope read as null (and the attempt is logged); every plan read is logged in its owner's audit log with the agreement's purpose.",
  })
  carePlansSharedWithUs(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => CarePlansSharedWithUsFilter, { nullable: true }) filter: CarePlansSharedWithUsFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listCarePlansSharedWithUs(context, args, filter ?? {});
  }

  @Mutation(() => ContributeCarePlanInputPayload, {
    description:
      "A partner user adds an input to a plan shared with their organisation, in their own name (kind PARTNER, visibility SHARED), while the owner's CARE_PLAN_INPUT rule allows CONTRIBUTE. FORBIDDEN naming the rule that refuses it otherwise (logged in the owner's audit log as DENIED).",
  })
  contributeCarePlanInput(@Arg('input') input: ContributeCarePlanInputInput, @Ctx() context: RequestContext) {
    return contributeCarePlanInput(context, input);
  }
}
