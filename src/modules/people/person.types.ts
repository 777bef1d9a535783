import { IsEmail, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { OrganisationRole } from '../../platform/auth/roles';
import { Connection, Node } from '../../platform/graphql/relay';
import { EmploymentType, PersonStatus } from './person.entity';

registerEnumType(EmploymentType, { name: 'EmploymentType' });
registerEnumType(PersonStatus, { name: 'PersonStatus' });
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

@ObjectType('RoleAssignment', { description: 'An organisation-level role recorded by the platform for a person.' })
export class RoleAssignmentType {
  @Field(() => OrganisationRole)
  role: OrganisationRole;

  @Field()
  grantedAt: Date;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

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

  @Field(() => String, { nullable: true, description: "The identity provider's subject (`sub`) for this person." })
  @IsOptional()
  @Length(1, 255)
  subject?: string | null;

  @Field(() => [OrganisationRole], { nullable: true, description: 'Roles to record for the person straight away.' })
  @IsOptional()
  roles?: OrganisationRole[];
}

@InputType({ description: 'Changes to a person; omitted fields stay as they are.' })
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

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  subject?: string | null;

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
export class RevokeRolePayload {
  @Field(() => PersonType)
  person: PersonType;

  @Field(() => RoleAssignmentType, { nullable: true, description: 'The assignment that was revoked; null when the person did not hold the role.' })
  roleAssignment: RoleAssignmentType | null;
}
