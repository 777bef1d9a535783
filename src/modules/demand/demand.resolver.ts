import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { demandFigures } from './demand.service';
import { DemandFiguresInput, DemandFiguresType } from './demand.types';

@Resolver(() => DemandFiguresType)
export class DemandResolver {
  @Query(() => DemandFiguresType, {
    description:
      "Demand on a scheme per month and area: requests, advice, contacts, hours, themes, outcomes, signposting, waiting times, feedback, and the training MILOs asked for. Counts from 1 to 4 are suppressed. Scheme admins, auditors and the scheme's active Lead MILOs.",
  })
  demandFigures(@Arg('input') input: DemandFiguresInput, @Ctx() context: RequestContext) {
    return demandFigures(context, input);
  }
}
