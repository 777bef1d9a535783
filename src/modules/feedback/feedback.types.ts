import { ArrayMaxSize, ArrayUnique, IsOptional, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { FreeText } from '../../platform/graphql/validation';
import { SupportRequestType } from '../support';
import { COMMENT_MAX_LENGTH, RATING_MAX, RATING_MIN, THEMES_MAX } from './feedback-answer';
import { FeedbackSource } from './feedback.entity';

registerEnumType(FeedbackSource, {
  name: 'FeedbackSource',
  description: 'Who gave the feedback.',
  valuesConfig: {
    MILO: { description: 'The MILO the request was assigned to, after closing it.' },
    SUPPORTED_PERSON: { description: 'The person supported, anonymously, through a one-time link: no account, no identity kept.' },
  },
});

export const FEEDBACK_LINK_DAYS_DEFAULT = 30;
export const FEEDBACK_LINK_DAYS_MAX = 90;

@ObjectType('Feedback', {
  implements: Node,
  description: 'Feedback on a closed support request, from its MILO or from the person supported. Feeds the demand and training-need figures.',
})
export class FeedbackType extends Node {
  @Field(() => FeedbackSource)
  source: FeedbackSource;

  @Field(() => Int, { description: `${RATING_MIN} (poor) to ${RATING_MAX} (very good).` })
  rating: number;

  @Field(() => [String], { description: 'SUPPORT_THEME codes.' })
  themeCodes: string[];

  @Field(() => [String], { description: 'TRAINING_NEED codes the MILO asked for; always empty from the person supported.' })
  trainingNeedCodes: string[];

  @Field(() => String, { nullable: true, description: "Free text; null when none was given or once the scheme's retention period removed it." })
  comment: string | null;

  @Field(() => Date, { nullable: true, description: 'When retention removed the comment; the rating and codes stay.' })
  commentRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@InputType({ description: "A MILO's feedback on a request they were assigned, once it is closed." })
export class GiveCaseFeedbackInput {
  @Field(() => ID)
  supportRequestId: string;

  @Field(() => Int, { description: `${RATING_MIN} to ${RATING_MAX}: how well the scheme could support this colleague.` })
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating: number;

  @Field(() => [String], { nullable: true, description: `SUPPORT_THEME codes, at most ${THEMES_MAX}.` })
  @IsOptional()
  @ArrayMaxSize(THEMES_MAX)
  @ArrayUnique()
  themeCodes?: string[] | null;

  @Field(() => [String], { nullable: true, description: `TRAINING_NEED codes: training that would have helped, at most ${THEMES_MAX}.` })
  @IsOptional()
  @ArrayMaxSize(THEMES_MAX)
  @ArrayUnique()
  trainingNeedCodes?: string[] | null;

  @Field(() => String, { nullable: true, description: `Free text, at most ${COMMENT_MAX_LENGTH} characters; no clinical detail. Removed by retention.` })
  @IsOptional()
  @FreeText('comment', COMMENT_MAX_LENGTH)
  comment?: string | null;
}

@ObjectType()
export class GiveCaseFeedbackPayload {
  @Field(() => FeedbackType)
  feedback: FeedbackType;

  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;
}

@InputType({ description: 'A one-time link for the person supported to give feedback without an account.' })
export class CreateFeedbackLinkInput {
  @Field(() => ID)
  supportRequestId: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: FEEDBACK_LINK_DAYS_DEFAULT,
    description: `Days the link works, 1 to ${FEEDBACK_LINK_DAYS_MAX} (default ${FEEDBACK_LINK_DAYS_DEFAULT}).`,
  })
  @IsOptional()
  @Min(1)
  @Max(FEEDBACK_LINK_DAYS_MAX)
  expiresInDays?: number | null;
}

@ObjectType({
  description:
    'A new one-time feedback link. The token is shown here once and never stored (only its hash is): pass it on now. Creating a link again replaces an unused one, whose token stops working.',
})
export class CreateFeedbackLinkPayload {
  @Field({ description: 'The secret part of the link; GET and POST /feedback/<token> need no account.' })
  token: string;

  @Field({ description: 'The path of the public form, relative to the API host: `/feedback/<token>`.' })
  path: string;

  @Field()
  expiresAt: Date;

  @Field({ description: 'True when an earlier unused link for this request existed and has stopped working.' })
  replacedEarlierLink: boolean;

  @Field(() => SupportRequestType)
  supportRequest: SupportRequestType;
}
