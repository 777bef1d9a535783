import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { OrganisationConnection, OrganisationType } from './organisation.types';
import { listOrganisations, viewerOrganisation } from './organisations.service';

@Resolver(() => OrganisationType)
export class OrganisationsResolver {
  @Query(() => OrganisationType, { description: "The caller's own organisation." })
  organisation(@Ctx() context: RequestContext) {
    return viewerOrganisation(context);
  }

  @Query(() => OrganisationConnection, { description: 'Every organisation on the platform (platform operators).' })
  organisations(@Args() args: ConnectionArgs, @Ctx() context: RequestContext) {
    return listOrganisations(context, args);
  }
}
