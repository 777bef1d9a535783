import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { OrganisationRole } from '../../platform/auth/roles';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { OrganisationType, organisationById } from '../organisations';
import { Person } from './person.entity';
import {
  AssignRolePayload,
  CreatePersonInput,
  CreatePersonPayload,
  PeopleFilter,
  PersonConnection,
  PersonType,
  RevokeRolePayload,
  RoleAssignmentInput,
  RoleAssignmentType,
  UpdatePersonInput,
  UpdatePersonPayload,
} from './person.types';
import { roleAssignmentHistoryByPersonId } from './people.loaders';
import { activeRoles, assignRole, createPerson, findPerson, listPeople, revokeRole, updatePerson } from './people.service';

@Resolver(() => PersonType)
export class PeopleResolver {
  @Query(() => PersonConnection, { description: "People of the caller's organisation (scheme admins)." })
  people(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PeopleFilter, { nullable: true }) filter: PeopleFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listPeople(context, args, filter);
  }

  @Query(() => PersonType, { nullable: true, description: 'One person: scheme admins may read anyone in their organisation, others only themselves.' })
  person(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    const decoded = decodeGlobalId(id);
    return decoded?.typeName === 'Person' ? findPerson(context, decoded.id) : null;
  }

  @FieldResolver(() => OrganisationType)
  organisation(@Root() person: Person, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(person.tenantId);
  }

  @FieldResolver(() => [OrganisationRole], { description: 'Roles the platform records for the person (active assignments).' })
  roles(@Root() person: Person, @Ctx() context: RequestContext) {
    return activeRoles(context, person);
  }

  @FieldResolver(() => [RoleAssignmentType], { description: 'Every role assignment, revoked ones included (scheme admins).' })
  roleAssignments(@Root() person: Person, @Ctx() context: RequestContext) {
    return context.loaders.use(roleAssignmentHistoryByPersonId).load(person.id);
  }

  @Mutation(() => CreatePersonPayload)
  async createPerson(@Arg('input') input: CreatePersonInput, @Ctx() context: RequestContext): Promise<CreatePersonPayload> {
    return { person: await createPerson(context, input) };
  }

  @Mutation(() => UpdatePersonPayload)
  async updatePerson(@Arg('input') input: UpdatePersonInput, @Ctx() context: RequestContext): Promise<UpdatePersonPayload> {
    return { person: await updatePerson(context, input) };
  }

  @Mutation(() => AssignRolePayload, { description: 'Records an organisation-level role for a person; idempotent.' })
  assignRole(@Arg('input') input: RoleAssignmentInput, @Ctx() context: RequestContext) {
    return assignRole(context, input);
  }

  @Mutation(() => RevokeRolePayload, { description: "Ends a person's role assignment; the history keeps it." })
  revokeRole(@Arg('input') input: RoleAssignmentInput, @Ctx() context: RequestContext) {
    return revokeRole(context, input);
  }
}
