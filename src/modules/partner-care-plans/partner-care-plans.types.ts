import { IsIn, IsOptional } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { CarePlanInputType, CarePlanStatus, CarePlanType } from '../care-plans';

/** The longest partner input (the table says the same). */
export const MAX_CONTRIBUTION = 4000;

@InputType({ description: 'Narrows the care plans shared with your organisation.' })
export class CarePlansSharedWithUsFilter {
  @Field(() => ID, { nullable: true, description: 'Only plans of this owner organisation (an Organisation ID).' })
  @IsOptional()
  ownerOrganisationId?: string | null;

  @Field(() => CarePlanStatus, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(CarePlanStatus))
  status?: CarePlanStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "True: only plans being worked (ACTIVE, UNDER_REVIEW) whose review day has passed; false: only the others. Either way, only plans of owners whose agreement's field scope gives you reviewDueOn.",
  })
  @IsOptional()
  reviewOverdue?: boolean | null;
}

@InputType({
  description:
    "A partner user's input to a plan shared with their organisation, in their own name: kind PARTNER, visibility SHARED. Needs an agreement in force whose CARE_PLAN_INPUT rule allows CONTRIBUTE.",
})
export class ContributeCarePlanInputInput {
  @Field(() => ID)
  carePlanId: string;

  @Field({ description: `What the partner adds (1–${MAX_CONTRIBUTION} characters), kept exactly as written.` })
  @notBlank('body')
  @FreeText('body', MAX_CONTRIBUTION)
  body: string;
}

@ObjectType()
export class ContributeCarePlanInputPayload {
  @Field(() => CarePlanInputType)
  input: CarePlanInputType;

  @Field(() => CarePlanType)
  carePlan: CarePlanType;
}
