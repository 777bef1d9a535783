import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { OrganisationRole } from '../../platform/auth/roles';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { OrganisationType, organisationById } from '../organisations';
import { Person } from './person.entity';
import {
  ApproveRoleAssignmentPayload,
  AssignRolePayload,
  CreatePersonInput,
  CreatePersonPayload,
  LinkPersonIdentityInput,
  LinkPersonIdentityPayload,
  PeopleFilter,
  PersonConnection,
  PersonType,
  RejectRoleAssignmentPayload,
  RelinkPersonIdentityInput,
  RelinkPersonIdentityPayload,
  RevokeRolePayload,
  RoleAssignmentConnection,
  RoleAssignmentDecisionInput,
  RoleAssignmentInput,
  RoleAssignmentType,
  UpdatePersonInput,
  UpdatePersonPayload,
} from './person.types';
import { personById, roleAssignmentHistoryByPersonId } from './people.loaders';
import { activeRoles, createPerson, findPerson, listPeople, updatePerson } from './people.service';
import { linkPersonIdentity, relinkPersonIdentity } from './person-identity.service';
import {
  approveRoleAssignment,
  assignRole,
  listPendingRoleAssignments,
  rejectRoleAssignment,
  revokeRole,
} from './role-assignments.service';
import type { RoleAssignment } from './role-assignment.entity';

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

  @FieldResolver(() => [OrganisationRole], { description: 'Roles the platform records for the person and that are in effect (ACTIVE assignments; not pending requests).' })
  roles(@Root() person: Person, @Ctx() context: RequestContext) {
    return activeRoles(context, person);
  }

  @FieldResolver(() => [RoleAssignmentType], { description: 'Every role assignment: requests, active, rejected and revoked ones (scheme admins).' })
  roleAssignments(@Root() person: Person, @Ctx() context: RequestContext) {
    return context.loaders.use(roleAssignmentHistoryByPersonId).load(person.id);
  }

  @Mutation(() => CreatePersonPayload, { description: 'Adds a person, optionally linked to their identity and with roles; audited.' })
  async createPerson(@Arg('input') input: CreatePersonInput, @Ctx() context: RequestContext): Promise<CreatePersonPayload> {
    return { person: await createPerson(context, input) };
  }

  @Mutation(() => UpdatePersonPayload, { description: "Changes a person's details or status (not their identity); audited with before and after." })
  async updatePerson(@Arg('input') input: UpdatePersonInput, @Ctx() context: RequestContext): Promise<UpdatePersonPayload> {
    return { person: await updatePerson(context, input) };
  }

  @Mutation(() => LinkPersonIdentityPayload, {
    description: "Links a person who has no identity yet to their identity provider's subject (scheme admins); CONFLICT when the person is already linked or the subject belongs to someone else.",
  })
  async linkPersonIdentity(@Arg('input') input: LinkPersonIdentityInput, @Ctx() context: RequestContext): Promise<LinkPersonIdentityPayload> {
    return { person: await linkPersonIdentity(context, input) };
  }

  @Mutation(() => RelinkPersonIdentityPayload, {
    description:
      "Moves a person's link to another subject (platform operators), audited in the person's organisation's log and the operator's own; CONFLICT when the subject is already in use there.",
  })
  relinkPersonIdentity(@Arg('input') input: RelinkPersonIdentityInput, @Ctx() context: RequestContext) {
    return relinkPersonIdentity(context, input);
  }

  @Mutation(() => AssignRolePayload, {
    description:
      'Records an organisation-level role for another person; idempotent. AUDITOR is recorded as a PENDING request that gives no access until a second scheme admin approves it. Nobody assigns their own roles.',
  })
  assignRole(@Arg('input') input: RoleAssignmentInput, @Ctx() context: RequestContext) {
    return assignRole(context, input);
  }

  @Mutation(() => RevokeRolePayload, { description: "Ends another person's role in effect; the history keeps it. Nobody revokes their own roles." })
  revokeRole(@Arg('input') input: RoleAssignmentInput, @Ctx() context: RequestContext) {
    return revokeRole(context, input);
  }

  @Mutation(() => ApproveRoleAssignmentPayload, {
    description: 'Approves a PENDING role request: by a scheme admin who neither asked for it nor would hold it.',
  })
  approveRoleAssignment(@Arg('input') input: RoleAssignmentDecisionInput, @Ctx() context: RequestContext) {
    return approveRoleAssignment(context, input);
  }

  @Mutation(() => RejectRoleAssignmentPayload, { description: 'Refuses (or, for its requester, withdraws) a PENDING role request.' })
  rejectRoleAssignment(@Arg('input') input: RoleAssignmentDecisionInput, @Ctx() context: RequestContext) {
    return rejectRoleAssignment(context, input);
  }

  @Query(() => RoleAssignmentConnection, { description: 'Role requests waiting for a second scheme admin, oldest first (scheme admins).' })
  pendingRoleAssignments(@Args() args: ConnectionArgs, @Ctx() context: RequestContext) {
    return listPendingRoleAssignments(context, args);
  }
}

@Resolver(() => RoleAssignmentType)
export class RoleAssignmentsResolver {
  @FieldResolver(() => PersonType, { description: 'Who holds or would hold the role.' })
  person(@Root() assignment: RoleAssignment, @Ctx() context: RequestContext) {
    return context.loaders.use(personById).load(assignment.personId);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'The scheme admin who asked for it; null for assignments recorded before requests were kept.' })
  requestedBy(@Root() assignment: RoleAssignment, @Ctx() context: RequestContext) {
    return assignment.requestedBy ? context.loaders.use(personById).load(assignment.requestedBy) : null;
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'The second scheme admin who approved it.' })
  approvedBy(@Root() assignment: RoleAssignment, @Ctx() context: RequestContext) {
    return assignment.approvedBy ? context.loaders.use(personById).load(assignment.approvedBy) : null;
  }

  @FieldResolver(() => PersonType, { nullable: true })
  rejectedBy(@Root() assignment: RoleAssignment, @Ctx() context: RequestContext) {
    return assignment.rejectedBy ? context.loaders.use(personById).load(assignment.rejectedBy) : null;
  }

  @FieldResolver(() => PersonType, { nullable: true })
  revokedBy(@Root() assignment: RoleAssignment, @Ctx() context: RequestContext) {
    return assignment.revokedBy ? context.loaders.use(personById).load(assignment.revokedBy) : null;
  }
}
