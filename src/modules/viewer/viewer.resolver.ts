import { Arg, Ctx, FieldResolver, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { Node, nodeType } from '../../platform/graphql/relay';
import { OrganisationType, viewerOrganisation } from '../organisations';
import { PersonType, personById } from '../people';
import { ViewerType } from './viewer.types';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, { description: 'The caller: organisation, person record and effective roles.' })
  viewer(@Ctx() context: RequestContext): ViewerType {
    const { subject, roles, audience } = context.viewer;
    return { subject, roles: [...roles].sort(), audience };
  }

  @FieldResolver(() => OrganisationType)
  organisation(@Ctx() context: RequestContext) {
    return viewerOrganisation(context);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: "The caller's person record, when the organisation has one for this subject." })
  person(@Ctx() context: RequestContext) {
    return context.viewer.personId ? context.loaders.use(personById).load(context.viewer.personId) : null;
  }

  @Query(() => Node, { nullable: true, description: 'Any object by its global ID, authorised exactly like its own query; null when not found or not visible.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    const decoded = decodeGlobalId(id);
    const type = decoded && nodeType(decoded.typeName);
    if (!decoded || !type) return null;
    return (await type.load(context, decoded.id)) ?? null;
  }
}
