import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../../platform/graphql/relay';

/*
 * GraphQL types shared by the training, milos and schemes modules: the scheme roles, the
 * catalogue and requirements, and how eligibility is explained.
 */

/** A calendar date, `YYYY-MM-DD` (training is completed and expires on days, not instants). */
export const LocalDate = LocalDateResolver;

export const SchemeRole = { MILO: 'MILO', LEAD_MILO: 'LEAD_MILO' } as const;
registerEnumType(SchemeRole, { name: 'SchemeRole', description: 'The roles of a MILO scheme.' });

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
