import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { OrganisationType, organisationById } from '../organisations';
import type { SignpostingService } from './signposting-service.entity';
import {
  CreateSignpostingServiceInput,
  CreateSignpostingServicePayload,
  SignpostingServiceType,
  SignpostingServicesFilter,
  UpdateSignpostingServiceInput,
  UpdateSignpostingServicePayload,
} from './signposting.types';
import { createSignpostingService, listSignpostingServices, updateSignpostingService } from './signposting.service';

@Resolver(() => SignpostingServiceType)
export class SignpostingResolver {
  @Query(() => [SignpostingServiceType], {
    description:
      "The signposting directory: the organisation's own services and those partners share with it under an agreement in force, crisis lines first (any member). Reading a partner's services is logged in the partner's audit log.",
  })
  signpostingServices(
    @Arg('filter', () => SignpostingServicesFilter, { nullable: true }) filter: SignpostingServicesFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listSignpostingServices(context, filter ?? {});
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation that runs the service and keeps its entry.' })
  owner(@Root() service: SignpostingService, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(service.tenantId);
  }

  @FieldResolver(() => Boolean, { description: "True when another organisation owns the service and shares it with the caller's: read-only." })
  sharedWithUs(@Root() service: SignpostingService, @Ctx() context: RequestContext) {
    return service.tenantId !== context.tenantId;
  }

  @Mutation(() => CreateSignpostingServicePayload, { description: "Adds a service to the organisation's own directory (scheme admins)." })
  async createSignpostingService(@Arg('input') input: CreateSignpostingServiceInput, @Ctx() context: RequestContext) {
    return { service: await createSignpostingService(context, input) };
  }

  @Mutation(() => UpdateSignpostingServicePayload, {
    description: "Changes or retires (active: false) one of the organisation's own services (scheme admins). A partner's shared service is NOT_FOUND.",
  })
  async updateSignpostingService(@Arg('input') input: UpdateSignpostingServiceInput, @Ctx() context: RequestContext) {
    return { service: await updateSignpostingService(context, input) };
  }
}
