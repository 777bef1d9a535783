import { IsEmail, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { OrganisationRole } from '../../platform/auth/roles';
import { Connection, Node } from '../../platform/graphql/relay';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { OrganisationType } from '../organisations';
import { EmploymentType, PersonStatus } from './person.entity';
import { IdentitySubject } from './person-subject';
import { RoleAssignmentStatus } from './role-assignment.entity';

registerEnumType(EmploymentType, { name: 'EmploymentType' });
registerEnumType(PersonStatus, { name: 'PersonStatus' });
registerEnumType(RoleAssignmentStatus, {
  name: 'RoleAssignmentStatus',
  valuesConfig: {
    PENDING: { description: 'Requested and waiting for a second scheme admin (AUDITOR); gives no access.' },
    ACTIVE: { description: 'In effect.' },
    REJECTED: { description: 'A request that was refused or withdrawn; never took effect.' },
    REVOKED: { description: 'Was in effect and has ended.' },
  },
});
registerEnumType(OrganisationRole, {
  name: 'OrganisationRole',
  description: 'Organisation-level roles. Acting as a MILO or Lead MILO comes from scheme membership, not from these.',
});

@ObjectType('Person', { implements: Node, description: 'A member of an organisation.' })
export class PersonType extends Node {
  @Field()
  displayName: string;

  @Field()
  workEmail: string;

  @Field(() => EmploymentType)
  employmentType: EmploymentType;

  @Field(() => String, { nullable: true, description: 'Area, district or station the person works from.' })
  area: string | null;

  @Field(() => PersonStatus)
  status: PersonStatus;

  @Field(() => String, { nullable: true, description: "The identity provider's subject linked to this person (scheme admins)." })
  subject: string | null;
}

@ObjectType()
export class PersonConnection extends Connection('Person', PersonType) {}

@ObjectType('RoleAssignment', {
  implements: Node,
  description:
    'An organisation-level role recorded by the platform for a person, from request to end. The person acts with it only while it is ACTIVE (and their token, when it carries roles, still asserts it).',
})
export class RoleAssignmentType extends Node {
  @Field(() => OrganisationRole)
  role: OrganisationRole;

  @Field(() => RoleAssignmentStatus)
  status: RoleAssignmentStatus;

  @Field()
  requestedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a second scheme admin approved it (four-eyes roles: AUDITOR).' })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it took effect; null while it is requested, and for refused requests.' })
  grantedAt: Date | null;

  @Field(() => Date, { nullable: true })
  rejectedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType()
export class RoleAssignmentConnection extends Connection('RoleAssignment', RoleAssignmentType) {}

const EMPLOYMENT_TYPES = Object.values(EmploymentType);

@InputType({ description: 'A new member of the caller\'s organisation.' })
export class CreatePersonInput {
  @Field()
  @Length(1, 200)
  displayName: string;

  @Field()
  @IsEmail()
  @MaxLength(320)
  workEmail: string;

  @Field(() => EmploymentType)
  @IsIn(EMPLOYMENT_TYPES)
  employmentType: EmploymentType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  area?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The identity provider's subject (`sub`) for this person: links them to their identity (1–255 characters, no control characters). Once linked it is never changed by a scheme admin.",
  })
  @IsOptional()
  @IdentitySubject()
  subject?: string | null;

  @Field(() => [OrganisationRole], {
    nullable: true,
    description: 'Roles to record for the person straight away; AUDITOR is recorded as a request for a second scheme admin to approve.',
  })
  @IsOptional()
  roles?: OrganisationRole[];
}

@InputType({
  description:
    "Changes to a person; omitted fields stay as they are. The identity (subject) is not among them: see linkPersonIdentity and a platform operator's relinkPersonIdentity.",
})
export class UpdatePersonInput {
  @Field(() => ID)
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  displayName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  workEmail?: string;

  @Field(() => EmploymentType, { nullable: true })
  @IsOptional()
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: EmploymentType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  area?: string | null;

  @Field(() => PersonStatus, { nullable: true })
  @IsOptional()
  status?: PersonStatus;
}

@InputType()
export class RoleAssignmentInput {
  @Field(() => ID)
  personId: string;

  @Field(() => OrganisationRole)
  role: OrganisationRole;
}

@InputType({ description: 'A pending role request to decide (approveRoleAssignment, rejectRoleAssignment).' })
export class RoleAssignmentDecisionInput {
  @Field(() => ID)
  roleAssignmentId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log (rejections).' })
  @IsOptional()
  @FreeText('reason', 500)
  reason?: string | null;
}

@InputType({ description: 'Links a person who has no identity yet to their identity provider subject.' })
export class LinkPersonIdentityInput {
  @Field(() => ID)
  personId: string;

  @Field()
  @IdentitySubject()
  subject: string;
}

@InputType({ description: "A platform operator moves a person's link to another subject (e.g. the identity provider reissued it)." })
export class RelinkPersonIdentityInput {
  @Field(() => ID, { description: "The person's organisation." })
  organisationId: string;

  @Field(() => ID)
  personId: string;

  @Field()
  @IdentitySubject()
  subject: string;

  @Field({ description: 'Why, recorded in both audit logs (1–500 characters).' })
  @notBlank('reason')
  @FreeText('reason', 500)
  reason: string;
}

@InputType({ description: 'Filters for the people list; all given filters must match.' })
export class PeopleFilter {
  @Field({ nullable: true, description: 'Part of the display name or work email, case-insensitive.' })
  @IsOptional()
  @MaxLength(100)
  search?: string;

  @Field(() => OrganisationRole, { nullable: true })
  @IsOptional()
  role?: OrganisationRole;

  @Field(() => PersonStatus, { nullable: true })
  @IsOptional()
  status?: PersonStatus;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(100)
  area?: string;
}

@ObjectType()
export class CreatePersonPayload {
  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType()
export class UpdatePersonPayload {
  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType()
export class AssignRolePayload {
  @Field(() => PersonType)
  person: PersonType;

  @Field(() => RoleAssignmentType)
  roleAssignment: RoleAssignmentType;
}

@ObjectType()
export class LinkPersonIdentityPayload {
  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType({ description: "The relinked person, named by id: an operator does not read another organisation's people." })
export class RelinkPersonIdentityPayload {
  @Field(() => ID, { description: "The person's global ID." })
  personId: string;

  @Field(() => OrganisationType)
  organisation: OrganisationType;

  @Field({ description: 'The subject now linked to the person.' })
  subject: string;
}

@ObjectType()
export class ApproveRoleAssignmentPayload {
  @Field(() => RoleAssignmentType)
  roleAssignment: RoleAssignmentType;

  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType()
export class RejectRoleAssignmentPayload {
  @Field(() => RoleAssignmentType)
  roleAssignment: RoleAssignmentType;

  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType()
export class RevokeRolePayload {
  @Field(() => PersonType)
  person: PersonType;

  @Field(() => RoleAssignmentType, { nullable: true, description: 'The assignment that was revoked; null when the person did not hold the role.' })
  roleAssignment: RoleAssignmentType | null;
}
