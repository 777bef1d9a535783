import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { type Organisation, OrganisationType } from '../organisations';
import { SchemeType } from './scheme.types';
import { schemesOf } from './schemes.service';

@Resolver(() => OrganisationType)
export class OrganisationSchemesResolver {
  @FieldResolver(() => [SchemeType], { description: "The organisation's schemes (empty for other organisations)." })
  schemes(@Root() organisation: Organisation, @Ctx() context: RequestContext) {
    return schemesOf(context, organisation.id);
  }
}
