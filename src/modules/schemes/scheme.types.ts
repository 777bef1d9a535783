import { IsIn, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { SchemeRole, type SchemeRoleCode } from './scheme-role';
import { SchemeStatus } from './scheme.entity';

registerEnumType(SchemeStatus, { name: 'SchemeStatus' });


const SCHEME_ROLES = Object.values(SchemeRole);
const SCHEME_STATUSES = Object.values(SchemeStatus);

/**
 * The shortest a scheme may keep free text about a case: long enough for a complaint, a
 * review of the case or a subject access request made soon after it closed to find it.
 */
export const MIN_FREE_TEXT_RETENTION_DAYS = 30;
export const MAX_FREE_TEXT_RETENTION_DAYS = 3650;

/** The longest terms of reference the platform keeps (the table's check says the same). */
export const MAX_TERMS_OF_REFERENCE_LENGTH = 100_000;

@ObjectType('Scheme', { implements: Node, description: "An organisation's MILO scheme." })
export class SchemeType extends Node {
  @Field({ description: 'What the organisation calls its scheme.' })
  name: string;

  @Field()
  purpose: string;

  @Field(() => String, { nullable: true, description: 'What MILOs do and do not do under this scheme.' })
  roleBoundaries: string | null;

  @Field(() => SchemeStatus)
  status: SchemeStatus;

  @Field(() => Int, { description: 'Hours a support request may wait for a MILO before it is flagged as waiting too long.' })
  supportTargetHours: number;

  @Field(() => Int, {
    description: `Days after a support request closes (or advice is answered) that its free text is removed (${MIN_FREE_TEXT_RETENTION_DAYS} to ${MAX_FREE_TEXT_RETENTION_DAYS}); the figures stay.`,
  })
  freeTextRetentionDays: number;

  @Field(() => String, { nullable: true, description: 'What the scheme tells someone at immediate risk, shown with its crisis services.' })
  crisisGuidance: string | null;
}

@ObjectType('SchemeRoleDefinition', { description: 'How a scheme names and describes one of its roles.' })
export class SchemeRoleDefinitionType {
  @Field(() => SchemeRole)
  role: SchemeRoleCode;

  @Field({ description: 'What the scheme calls the role ("MILO", "Lead MILO", "Wellbeing Supporter", …).' })
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;
}

@ObjectType('TermsOfReference', {
  implements: Node,
  description: "One version of a scheme's terms of reference. Versions are kept as published; the one in force on a date is the highest version effective by then.",
})
export class TermsOfReferenceType extends Node {
  @Field(() => Int)
  version: number;

  @Field(() => LocalDate, { description: 'The first day this version is in force.' })
  effectiveFrom: string;

  @Field()
  body: string;

  @Field({ description: 'When this version was published on the platform.' })
  createdAt: Date;
}

@InputType({ description: 'A new scheme; it starts as DRAFT with the MILO and Lead MILO roles.' })
export class CreateSchemeInput {
  @Field()
  @Length(1, 200)
  @notBlank('name')
  name: string;

  @Field()
  @Length(1, 4000)
  @notBlank('purpose')
  purpose: string;

  @Field(() => String, { nullable: true, description: 'What MILOs do and do not do under this scheme.' })
  @IsOptional()
  @MaxLength(10000)
  roleBoundaries?: string | null;
}

@InputType({ description: 'Changes to a scheme; omitted fields stay as they are.' })
export class UpdateSchemeInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @notBlank('name')
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 4000)
  @notBlank('purpose')
  purpose?: string | null;

  @Field(() => String, { nullable: true, description: 'Null clears it.' })
  @IsOptional()
  @MaxLength(10000)
  roleBoundaries?: string | null;

  @Field(() => SchemeStatus, { nullable: true })
  @IsOptional()
  @IsIn(SCHEME_STATUSES)
  status?: SchemeStatus | null;

  @Field(() => Int, { nullable: true, description: '1 to 2160 hours (90 days).' })
  @IsOptional()
  @Min(1)
  @Max(2160)
  supportTargetHours?: number | null;

  @Field(() => Int, { nullable: true, description: `${MIN_FREE_TEXT_RETENTION_DAYS} to ${MAX_FREE_TEXT_RETENTION_DAYS} days.` })
  @IsOptional()
  @Min(MIN_FREE_TEXT_RETENTION_DAYS, { message: `freeTextRetentionDays must be at least ${MIN_FREE_TEXT_RETENTION_DAYS} days` })
  @Max(MAX_FREE_TEXT_RETENTION_DAYS)
  freeTextRetentionDays?: number | null;

  @Field(() => String, { nullable: true, description: 'Null clears it.' })
  @IsOptional()
  @FreeText('crisisGuidance', 2000)
  crisisGuidance?: string | null;
}

@InputType({ description: "A scheme role's title and description." })
export class UpdateSchemeRoleInput {
  @Field(() => ID)
  schemeId: string;

  @Field(() => SchemeRole)
  @IsIn(SCHEME_ROLES)
  role: SchemeRoleCode;

  @Field()
  @Length(1, 200)
  @notBlank('title')
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  description?: string | null;
}

@InputType({ description: 'A new version of the terms of reference; it gets the next version number.' })
export class PublishTermsOfReferenceInput {
  @Field(() => ID)
  schemeId: string;

  @Field({ description: `The document, 1 to ${MAX_TERMS_OF_REFERENCE_LENGTH} characters.` })
  @Length(1, MAX_TERMS_OF_REFERENCE_LENGTH)
  @notBlank('body')
  body: string;

  @Field(() => LocalDate, { description: "The first day it is in force; not before the latest version's." })
  effectiveFrom: string;
}

@ObjectType()
export class CreateSchemePayload {
  @Field(() => SchemeType)
  scheme: SchemeType;
}

@ObjectType()
export class UpdateSchemePayload {
  @Field(() => SchemeType)
  scheme: SchemeType;
}

@ObjectType()
export class UpdateSchemeRolePayload {
  @Field(() => SchemeType)
  scheme: SchemeType;

  @Field(() => SchemeRoleDefinitionType)
  role: SchemeRoleDefinitionType;
}

@ObjectType()
export class PublishTermsOfReferencePayload {
  @Field(() => SchemeType)
  scheme: SchemeType;

  @Field(() => TermsOfReferenceType)
  termsOfReference: TermsOfReferenceType;
}
