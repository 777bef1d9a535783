import { ArrayMaxSize, ArrayUnique, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { notBlank } from '../../platform/graphql/validation';
import { AccessAction, SharedResource } from './access-rules';

@ObjectType('DataSharingAgreement', {
  implements: Node,
  description:
    'An agreement by which an owner organisation shares some of its records with one partner: for a purpose, on a lawful basis, between two dates, until revoked. Its access rules say what the partner may do. Both parties see it; only the owner changes it.',
})
export class DataSharingAgreementType extends Node {
  @Field()
  title: string;

  @Field()
  purpose: string;

  @Field({ description: 'E.g. "UK GDPR Art. 6(1)(e), 9(2)(h); DPA 2018 Sch. 1 para 2".' })
  lawfulBasis: string;

  @Field(() => LocalDate)
  validFrom: string;

  @Field(() => LocalDate, { nullable: true, description: 'Last day in force; null = until revoked.' })
  validTo: string | null;

  @Field(() => String, { nullable: true })
  ownerSignatory: string | null;

  @Field(() => String, { nullable: true })
  partnerSignatory: string | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true })
  revocationReason: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType('AccessRuleConditions', {
  description:
    "Conditions of a care-plan rule, as in force (defaults filled in). Inputs are always limited to those marked SHARED, and police-only notes are never shared, whatever a rule says.",
})
export class AccessRuleConditionsType {
  @Field({ description: 'Only plans on whose care team the partner organisation is (default true).' })
  careTeamOnly: boolean;

  @Field({ description: "Only plans whose subject's consent is recorded as GIVEN (default false)." })
  requireConsent: boolean;
}

@ObjectType('AccessRule', { implements: Node, description: "What an agreement lets the partner do with one kind of the owner's records." })
export class AccessRuleType extends Node {
  @Field(() => SharedResource)
  resource: SharedResource;

  @Field(() => [AccessAction])
  actions: AccessAction[];

  @Field(() => [String], {
    description:
      'The fields of the resource the partner may see or be sent. Empty = the minimum for the resource (a referral: urgency and reason; a care plan: none of its sections, consent, review date or subject, only its reference, status, lawful basis and care team). Care-plan fields: presentationAndTriggers, whatHelps, whatToAvoid, agreedResponse, contacts, subjectIdentity, consent, reviewDueOn.',
  })
  fieldScope: string[];

  @Field()
  createdAt: Date;
}

@InputType({ description: 'Conditions of a care-plan rule; leave out (or null) for the default. Other resources take none.' })
export class AccessRuleConditionsInput {
  @Field(() => Boolean, { nullable: true, description: 'Only plans on whose care team the partner is. Default true.' })
  @IsOptional()
  careTeamOnly?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Only plans with the subject's consent recorded as GIVEN. Default false." })
  @IsOptional()
  requireConsent?: boolean | null;
}

@InputType()
export class AccessRuleInput {
  @Field(() => SharedResource)
  @IsIn(Object.values(SharedResource))
  resource: SharedResource;

  @Field(() => [AccessAction])
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsIn(Object.values(AccessAction), { each: true })
  actions: AccessAction[];

  @Field(() => [String], {
    nullable: true,
    description:
      'Referral fields: urgency, reason, colleagueName, contactDetails. Care-plan fields: presentationAndTriggers, whatHelps, whatToAvoid, agreedResponse, contacts, subjectIdentity, consent, reviewDueOn.',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  fieldScope?: string[] | null;

  @Field(() => AccessRuleConditionsInput, { nullable: true, description: 'Care-plan rules only.' })
  @IsOptional()
  conditions?: AccessRuleConditionsInput | null;
}

@InputType({ description: 'A new agreement with the partner; ACTIVE at once unless `activate` is false.' })
export class CreateDataSharingAgreementInput {
  @Field(() => ID)
  partnerOrganisationId: string;

  @Field()
  @Length(1, 200)
  @notBlank('title')
  title: string;

  @Field()
  @Length(1, 2000)
  @notBlank('purpose')
  purpose: string;

  @Field()
  @Length(1, 500)
  @notBlank('lawfulBasis')
  lawfulBasis: string;

  @Field(() => LocalDate)
  validFrom: string;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  validTo?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  ownerSignatory?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  partnerSignatory?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'False keeps it a DRAFT that grants nothing. Default true.' })
  @IsOptional()
  activate?: boolean | null;

  @Field(() => [AccessRuleInput])
  @ArrayMaxSize(4)
  rules: AccessRuleInput[];
}

@InputType()
export class RevokeDataSharingAgreementInput {
  @Field(() => ID)
  id: string;

  @Field()
  @Length(1, 1000)
  @notBlank('reason')
  reason: string;
}

@ObjectType()
export class CreateDataSharingAgreementPayload {
  @Field(() => DataSharingAgreementType)
  agreement: DataSharingAgreementType;
}

@ObjectType()
export class RevokeDataSharingAgreementPayload {
  @Field(() => DataSharingAgreementType)
  agreement: DataSharingAgreementType;
}

@InputType({ description: 'A rule for a resource the agreement has no rule for yet.' })
export class AddAccessRuleInput extends AccessRuleInput {
  @Field(() => ID)
  agreementId: string;
}

@InputType({ description: 'Replaces what is given (actions, field scope, conditions) and keeps the rest.' })
export class UpdateAccessRuleInput {
  @Field(() => ID)
  ruleId: string;

  @Field(() => [AccessAction], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsIn(Object.values(AccessAction), { each: true })
  actions?: AccessAction[] | null;

  @Field(() => [String], { nullable: true, description: 'The whole new scope; [] = the minimum for the resource.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  fieldScope?: string[] | null;

  @Field(() => AccessRuleConditionsInput, { nullable: true, description: 'The whole new conditions (keys left out take their defaults).' })
  @IsOptional()
  conditions?: AccessRuleConditionsInput | null;
}

@InputType()
export class RemoveAccessRuleInput {
  @Field(() => ID)
  ruleId: string;
}

@ObjectType()
export class AddAccessRulePayload {
  @Field(() => AccessRuleType)
  rule: AccessRuleType;

  @Field(() => DataSharingAgreementType)
  agreement: DataSharingAgreementType;
}

@ObjectType()
export class UpdateAccessRulePayload {
  @Field(() => AccessRuleType)
  rule: AccessRuleType;

  @Field(() => DataSharingAgreementType)
  agreement: DataSharingAgreementType;
}

@ObjectType()
export class RemoveAccessRulePayload {
  @Field(() => ID, { description: 'The global ID the removed rule had.' })
  removedRuleId: string;

  @Field(() => DataSharingAgreementType)
  agreement: DataSharingAgreementType;
}
