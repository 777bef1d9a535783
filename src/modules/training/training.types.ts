import { IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
// SchemeType is referenced only inside field thunks, so a cycle through the schemes module cannot bite.
import { SchemeRole, SchemeType } from '../schemes';

/*
 * GraphQL types shared by the training, milos and schemes modules: the scheme roles, the
 * catalogue and requirements, and how eligibility is explained.
 */


export const RequirementKindEnum = { MODULE: 'MODULE', MINIMUM_HOURS: 'MINIMUM_HOURS' } as const;
registerEnumType(RequirementKindEnum, {
  name: 'TrainingRequirementKind',
  description: 'MODULE: one of the listed modules, completed and in date. MINIMUM_HOURS: at least this many hours of in-date training.',
});

export const UnmetReasonEnum = { MISSING: 'MISSING', EXPIRED: 'EXPIRED', HOURS_SHORT: 'HOURS_SHORT' } as const;
registerEnumType(UnmetReasonEnum, { name: 'UnmetRequirementReason' });

@ObjectType('TrainingModule', { implements: Node, description: "A course in the organisation's training catalogue." })
export class TrainingModuleType extends Node {
  @Field()
  code: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'The provider, when it is not an organisation on the platform.' })
  providerName: string | null;

  @Field(() => Float)
  hours: number;

  @Field(() => Int, { nullable: true, description: 'Months a completion stays valid; null = it does not expire.' })
  validityMonths: number | null;

  @Field()
  active: boolean;
}

@ObjectType('TrainingRequirement', { implements: Node, description: 'What a scheme role needs before deployment and to stay deployed.' })
export class TrainingRequirementType extends Node {
  @Field()
  title: string;

  @Field(() => RequirementKindEnum)
  kind: keyof typeof RequirementKindEnum;

  @Field(() => SchemeRole)
  roleCode: keyof typeof SchemeRole;

  @Field(() => Int, { nullable: true, description: 'MODULE: must be refreshed every N months, whatever the module\'s own validity.' })
  refreshMonths: number | null;

  @Field(() => Float, { nullable: true, description: 'MINIMUM_HOURS: hours of in-date training needed.' })
  minimumHours: number | null;
}

@ObjectType('UnmetRequirement', { description: 'A requirement the person does not meet, and why.' })
export class UnmetRequirementType {
  @Field()
  title: string;

  @Field(() => UnmetReasonEnum)
  reason: keyof typeof UnmetReasonEnum;

  @Field(() => LocalDate, { nullable: true, description: 'EXPIRED: the day the last valid completion expired.' })
  expiredOn: string | null;

  @Field(() => Float, { nullable: true, description: 'HOURS_SHORT: how many hours are missing.' })
  hoursShort: number | null;

  /** Not a GraphQL field: resolvers use it to load `requirement`. */
  requirementId: string;
}

@ObjectType('MetRequirement')
export class MetRequirementType {
  @Field(() => LocalDate, { nullable: true, description: 'The day this requirement stops being met; null = not as things stand.' })
  lapsesOn: string | null;

  requirementId: string;
  satisfiedByModuleId: string | null;
}

@ObjectType('Eligibility', { description: 'Whether a person may act in a scheme role on a date, computed from requirements and records.' })
export class EligibilityType {
  @Field()
  eligible: boolean;

  @Field(() => LocalDate)
  asOf: string;

  @Field(() => [UnmetRequirementType])
  unmet: UnmetRequirementType[];

  @Field(() => [MetRequirementType])
  met: MetRequirementType[];

  @Field(() => LocalDate, { nullable: true, description: 'When eligible: the first day the person will no longer be, as things stand.' })
  nextLapseOn: string | null;
}

/*
 * Training records, and the inputs and payloads of the training API.
 */

@ObjectType('TrainingRecord', { implements: Node, description: 'One completion of a training module by a person.' })
export class TrainingRecordType extends Node {
  @Field(() => LocalDate, { description: 'The day the training was completed.' })
  completedOn: string;

  @Field(() => String, { nullable: true, description: 'Where the evidence is kept: a certificate number, a file reference.' })
  evidenceReference: string | null;

  @Field(() => Date, { nullable: true, description: 'When a scheme admin verified the evidence; null = not verified.' })
  verifiedAt: Date | null;
}

export const MODULE_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

@InputType({ description: "A new module in the organisation's training catalogue." })
export class CreateTrainingModuleInput {
  @Field({ description: 'Short code, unique in the organisation: capitals, digits, `_` and `-`, up to 40 characters.' })
  @Matches(MODULE_CODE_PATTERN, { message: 'code must be 1-40 capital letters, digits, "_" or "-", starting with a letter or digit' })
  code: string;

  @Field()
  @Length(1, 200)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The delivering organisation, when it is on the platform (any organisation).' })
  @IsOptional()
  providerOrganisationId?: string | null;

  @Field(() => String, { nullable: true, description: 'The provider, when it is not an organisation on the platform.' })
  @IsOptional()
  @MaxLength(200)
  providerName?: string | null;

  @Field(() => Float, { description: 'Hours of training, 0 to 1000.' })
  @Min(0)
  @Max(1000)
  hours: number;

  @Field(() => Int, { nullable: true, description: 'Months a completion stays valid (1 to 240); null = it does not expire.' })
  @IsOptional()
  @Min(1)
  @Max(240)
  validityMonths?: number | null;

  @Field({ defaultValue: true, description: 'Inactive modules stay in the catalogue but cannot be recorded or imported.' })
  active: boolean;
}

@InputType({ description: 'Changes to a training module; omitted fields stay as they are, null clears an optional field.' })
export class UpdateTrainingModuleInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(MODULE_CODE_PATTERN, { message: 'code must be 1-40 capital letters, digits, "_" or "-", starting with a letter or digit' })
  code?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  description?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  providerOrganisationId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  providerName?: string | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(1000)
  hours?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(240)
  validityMonths?: number | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  active?: boolean | null;
}

@ObjectType()
export class CreateTrainingModulePayload {
  @Field(() => TrainingModuleType)
  trainingModule: TrainingModuleType;
}

@ObjectType()
export class UpdateTrainingModulePayload {
  @Field(() => TrainingModuleType)
  trainingModule: TrainingModuleType;
}

@InputType({ description: 'One requirement of a scheme role. Checked by the service, with problems named `requirements[i].field`.' })
export class TrainingRequirementInput {
  @Field({ description: 'How the requirement reads to people, e.g. "Dementia awareness (either course)".' })
  title: string;

  @Field(() => RequirementKindEnum)
  kind: keyof typeof RequirementKindEnum;

  @Field(() => [ID], { nullable: true, description: 'MODULE: 1 to 20 modules of the catalogue; completing any one of them meets the requirement.' })
  moduleIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: "MODULE: must be refreshed every N months (1 to 240), whatever the module's own validity." })
  refreshMonths?: number | null;

  @Field(() => Float, { nullable: true, description: 'MINIMUM_HOURS: hours of in-date training needed (more than 0).' })
  minimumHours?: number | null;
}

@InputType({ description: "Replaces a scheme role's whole set of training requirements." })
export class SetTrainingRequirementsInput {
  @Field(() => ID)
  schemeId: string;

  @Field(() => SchemeRole)
  role: keyof typeof SchemeRole;

  @Field(() => [TrainingRequirementInput], { description: 'The complete new set; an empty list removes every requirement of the role.' })
  requirements: TrainingRequirementInput[];
}

@InputType({ description: 'A completed module to record for a person.' })
export class RecordTrainingInput {
  @Field(() => ID)
  personId: string;

  @Field(() => ID)
  moduleId: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before 1990.' })
  completedOn: string;

  @Field(() => String, { nullable: true })
  evidenceReference?: string | null;

  @Field({ defaultValue: false, description: 'The caller has seen the evidence: records them as the verifier, now.' })
  verified: boolean;
}

@ObjectType()
export class RecordTrainingPayload {
  @Field(() => TrainingRecordType)
  trainingRecord: TrainingRecordType;
}

@InputType({ description: 'One row of a training records import, as it comes from a spreadsheet.' })
export class TrainingRecordImportRow {
  @Field({ description: "The person's work email in the caller's organisation (case-insensitive)." })
  workEmail: string;

  @Field({ description: 'The code of an active module of the catalogue (case-insensitive).' })
  moduleCode: string;

  @Field(() => LocalDate)
  completedOn: string;

  @Field(() => String, { nullable: true })
  evidenceReference?: string | null;
}

@InputType({ description: 'Up to 1000 rows, imported all together or not at all.' })
export class ImportTrainingRecordsInput {
  @Field(() => [TrainingRecordImportRow])
  records: TrainingRecordImportRow[];
}

@ObjectType()
export class ImportTrainingRecordsPayload {
  @Field(() => Int)
  importedCount: number;

  @Field(() => [TrainingRecordType])
  trainingRecords: TrainingRecordType[];
}

@ObjectType()
export class SetTrainingRequirementsPayload {
  @Field(() => SchemeType)
  scheme: SchemeType;

  @Field(() => [TrainingRequirementType], { description: "The role's new requirements, as `Scheme.trainingRequirements` lists them." })
  requirements: TrainingRequirementType[];
}
