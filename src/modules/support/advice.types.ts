import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { AdviceRequestType, MAX_CASE_TEXT } from './support.types';
import { MinutesSpent, SupportThemeCodes } from './contact-fields';
import { Urgency } from './urgency';

const URGENCIES = Object.values(Urgency);

/** The force's incident reference, as the advice_request table's check allows it. */
export const INCIDENT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,49}$/;

@InputType({
  description:
    'An officer asks the scheme for advice about a member of the public they are dealing with. The description is removed by the scheme’s retention period after the answer.',
})
export class AskForAdviceInput {
  @Field(() => ID)
  schemeId: string;

  @Field({ description: 'The incident or occurrence reference: 1–50 letters, digits and / _ . : -, starting with a letter or digit.' })
  @Matches(INCIDENT_REFERENCE, { message: 'incidentReference must be 1–50 letters, digits or / _ . : -, starting with a letter or digit' })
  incidentReference: string;

  @Field({ description: `What happened and what advice is wanted, 1–${MAX_CASE_TEXT} characters.` })
  @Length(1, MAX_CASE_TEXT)
  @notBlank('description')
  @FreeText('description', MAX_CASE_TEXT)
  description: string;

  @Field(() => Urgency)
  @IsIn(URGENCIES)
  urgency: Urgency;

  @Field(() => String, { nullable: true, description: 'Area or station of the incident (at most 100 characters).' })
  @IsOptional()
  @FreeText('area', 100)
  area?: string | null;
}

@ObjectType()
export class AskForAdvicePayload {
  @Field(() => AdviceRequestType)
  adviceRequest: AdviceRequestType;
}

@InputType({ description: 'An ACTIVE MILO or Lead MILO of the scheme answers a WAITING advice request.' })
export class AnswerAdviceRequestInput {
  @Field(() => ID)
  requestId: string;

  @Field({ description: `The advice, 1–${MAX_CASE_TEXT} characters; read by the officer who asked, the answering MILO and Lead MILOs.` })
  @Length(1, MAX_CASE_TEXT)
  @notBlank('answer')
  @FreeText('answer', MAX_CASE_TEXT)
  answer: string;

  @MinutesSpent()
  minutes: number;

  @SupportThemeCodes()
  themeCodes: string[];
}

@ObjectType()
export class AnswerAdviceRequestPayload {
  @Field(() => AdviceRequestType)
  adviceRequest: AdviceRequestType;
}
