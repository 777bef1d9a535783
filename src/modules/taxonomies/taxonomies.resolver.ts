import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { TaxonomyKind } from './taxonomy-kind';
import { defineTerm, termsOf, updateTerm } from './taxonomies.service';
import { DefineTaxonomyTermInput, DefineTaxonomyTermPayload, TaxonomyTermType, UpdateTaxonomyTermInput, UpdateTaxonomyTermPayload } from './taxonomies.types';

@Resolver(() => TaxonomyTermType)
export class TaxonomiesResolver {
  @Query(() => [TaxonomyTermType], { description: "One of the organisation's code lists, in display order (any member)." })
  taxonomy(
    @Arg('kind', () => TaxonomyKind) kind: TaxonomyKind,
    @Arg('includeRetired', () => Boolean, { nullable: true, defaultValue: false }) includeRetired: boolean,
    @Ctx() context: RequestContext,
  ) {
    return termsOf(context, kind, includeRetired);
  }

  @Mutation(() => DefineTaxonomyTermPayload, { description: 'Adds a term to one of the organisation’s code lists (scheme admins).' })
  async defineTaxonomyTerm(@Arg('input') input: DefineTaxonomyTermInput, @Ctx() context: RequestContext) {
    return { term: await defineTerm(context, input) };
  }

  @Mutation(() => UpdateTaxonomyTermPayload, { description: 'Relabels, reorders or retires a term (scheme admins).' })
  async updateTaxonomyTerm(@Arg('input') input: UpdateTaxonomyTermInput, @Ctx() context: RequestContext) {
    return { term: await updateTerm(context, input) };
  }
}
