import { IsIn, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { SchemeRole, type SchemeRoleCode } from '../schemes';
import { MiloStatus } from './milo-lifecycle';

registerEnumType(MiloStatus, {
  name: 'MiloStatus',
  description:
    'APPLICANT → IN_TRAINING → ACTIVE ⇄ SUSPENDED; ACTIVE → LAPSED when a training requirement expires; any → WITHDRAWN.',
});

const MILO_STATUSES = Object.values(MiloStatus);
const SCHEME_ROLES = Object.values(SchemeRole);

/*
 * The object types carry only the columns read straight from the entity; everything derived
 * (role, effective status, related records) is a field resolver in milos.resolver.ts.
 */

@ObjectType('Milo', {
  implements: Node,
  description:
    "A person's membership of a scheme as a MILO or Lead MILO. Visible to the organisation's scheme admins, the scheme's ACTIVE Lead MILOs and the MILO themself.",
})
export class MiloType extends Node {
  @Field(() => LocalDate, { description: 'The day the recorded status took effect.' })
  statusSince: string;

  @Field(() => String, { nullable: true, description: 'Area or station the MILO covers; drives coverage figures.' })
  area: string | null;

  @Field(() => Int, { description: 'Most open cases the MILO takes at once.' })
  capacity: number;
}

@ObjectType()
export class MiloConnection extends Connection('Milo', MiloType) {}

@ObjectType('MiloStatusChange', { description: "One move in a MILO's lifecycle: who, when and why." })
export class MiloStatusChangeType {
  @Field(() => MiloStatus, { nullable: true, description: 'Null for the enrolment that started the membership.' })
  fromStatus: MiloStatus | null;

  @Field(() => MiloStatus)
  toStatus: MiloStatus;

  @Field(() => LocalDate, { description: 'The day the move took effect (for an automatic lapse, the day the training ran out).' })
  effectiveOn: string;

  @Field()
  reason: string;

  @Field({ description: 'When the move was recorded.' })
  changedAt: Date;
}

@ObjectType('ExpiringTraining', { description: 'An ACTIVE MILO whose eligibility runs out soon, as things stand.' })
export class ExpiringTrainingType {
  @Field(() => MiloType)
  milo: MiloType;

  @Field(() => LocalDate, { description: 'The first day the MILO will no longer be eligible.' })
  lapsesOn: string;

  @Field(() => Int, { description: 'Days from today until lapsesOn.' })
  daysLeft: number;
}

@ObjectType('AreaCoverage', { description: 'Active MILOs in one area or station.' })
export class AreaCoverageType {
  @Field(() => String, { nullable: true, description: 'The area; null for members with no area recorded.' })
  area: string | null;

  @Field(() => Int, { description: 'MILOs and Lead MILOs who are ACTIVE today.' })
  activeMilos: number;

  @Field(() => Int, { description: 'Of those, the Lead MILOs.' })
  activeLeadMilos: number;
}

@ObjectType('SchemeCoverage', {
  description:
    "How many MILOs are ACTIVE today, in total and per area. Areas with members but nobody active are listed with zero: they are the gaps.",
})
export class SchemeCoverageType {
  @Field(() => Int, { description: 'MILOs and Lead MILOs who are ACTIVE today.' })
  activeMilos: number;

  @Field(() => Int, { description: 'Of those, the Lead MILOs.' })
  activeLeadMilos: number;

  @Field(() => [AreaCoverageType], { description: 'Per area, in name order; members without an area last.' })
  areas: AreaCoverageType[];
}

@InputType({ description: 'Makes a person a member of a scheme; the membership starts as APPLICANT.' })
export class EnrolMiloInput {
  @Field(() => ID)
  schemeId: string;

  @Field(() => ID)
  personId: string;

  @Field(() => SchemeRole)
  @IsIn(SCHEME_ROLES)
  role: SchemeRoleCode;

  @Field(() => String, { nullable: true, description: "Area or station covered; defaults to the person's own area." })
  @IsOptional()
  @MaxLength(100)
  area?: string | null;

  @Field(() => Int, { nullable: true, description: 'Most open cases at once, 0–100 (default 5).' })
  @IsOptional()
  @Min(0)
  @Max(100)
  capacity?: number | null;

  @Field(() => ID, { nullable: true, description: 'The supervising Lead MILO: a LEAD_MILO member of the same scheme.' })
  @IsOptional()
  leadMiloId?: string | null;
}

@InputType({ description: "Moves a MILO to another status. Checked from the status as of today; becoming ACTIVE needs the role's training." })
export class ChangeMiloStatusInput {
  @Field(() => ID)
  miloId: string;

  @Field(() => MiloStatus)
  @IsIn(MILO_STATUSES)
  status: MiloStatus;

  @Field({ description: 'Why, for the history (1–2000 characters).' })
  @Length(1, 2000)
  reason: string;
}

@InputType({ description: "Changes to a membership's area, capacity or Lead; omitted fields stay as they are, null clears area and lead." })
export class UpdateMiloInput {
  @Field(() => ID)
  miloId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  area?: string | null;

  @Field(() => Int, { nullable: true, description: '0–100; null leaves it as it is.' })
  @IsOptional()
  @Min(0)
  @Max(100)
  capacity?: number | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  leadMiloId?: string | null;
}

@InputType({ description: 'Filters for a scheme\'s MILOs; all given filters must match.' })
export class MilosFilter {
  @Field(() => MiloStatus, { nullable: true, description: 'The status as of today (so LAPSED includes MILOs whose training ran out since their last move).' })
  @IsOptional()
  @IsIn(MILO_STATUSES)
  status?: MiloStatus;

  @Field(() => SchemeRole, { nullable: true })
  @IsOptional()
  @IsIn(SCHEME_ROLES)
  role?: SchemeRoleCode;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(100)
  area?: string;

  @Field(() => ID, { nullable: true, description: 'Only the team of this Lead MILO.' })
  @IsOptional()
  leadMiloId?: string;
}

@ObjectType()
export class EnrolMiloPayload {
  @Field(() => MiloType)
  milo: MiloType;
}

@ObjectType()
export class ChangeMiloStatusPayload {
  @Field(() => MiloType)
  milo: MiloType;

  @Field(() => [MiloStatusChangeType], {
    description: 'The history rows this change wrote, in order: an automatic lapse first when the training had run out since the last move.',
  })
  statusChanges: MiloStatusChangeType[];
}

@ObjectType()
export class UpdateMiloPayload {
  @Field(() => MiloType)
  milo: MiloType;
}
