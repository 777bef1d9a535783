import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import type { RequestContext } from '../../platform/context';
import { DEMAND_MONTH } from '../../platform/graphql/cost';
import { monthsSpanned, periodProblems } from './demand-range';
import { demandFigures } from './demand.service';
import { DemandFiguresInput, DemandFiguresType } from './demand.types';

/** Charged per month of the period; one the service will refuse is charged as one month. */
function demandFiguresCost({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const { from, to } = (args.input ?? {}) as Partial<DemandFiguresInput>;
  const months = from && to && periodProblems(from, to).length === 0 ? monthsSpanned(from, to) : 1;
  return months * DEMAND_MONTH + childComplexity;
}

@Resolver(() => DemandFiguresType)
export class DemandResolver {
  @Query(() => DemandFiguresType, {
    complexity: demandFiguresCost,
    description:
      "Demand on a scheme per month and area: requests, advice, contacts, hours, themes, outcomes, signposting, waiting times, feedback, and the training MILOs asked for. Counts from 1 to 4 are suppressed. Scheme admins, auditors and the scheme's active Lead MILOs.",
  })
  demandFigures(@Arg('input') input: DemandFiguresInput, @Ctx() context: RequestContext) {
    return demandFigures(context, input);
  }
}
