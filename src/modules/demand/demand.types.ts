import { IsOptional, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../../platform/graphql/scalars';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { FeedbackSource } from '../feedback';
import { SchemeType } from '../schemes';
import { MAX_MONTHS } from './demand-range';
import { SUPPRESSION_THRESHOLD } from './suppression';

@InputType({ description: `A scheme, a period of whole calendar months (at most ${MAX_MONTHS}), and optionally one area.` })
export class DemandFiguresInput {
  @Field(() => ID)
  schemeId: string;

  @Field(() => LocalDate, { description: 'The first day of the first month counted.' })
  from: string;

  @Field(() => LocalDate, {
    description: `The last day of the last month counted; at most ${MAX_MONTHS} months from \`from\`. Whole months only, so that two periods cannot be subtracted to reveal a suppressed count.`,
  })
  to: string;

  @Field(() => String, { nullable: true, description: 'Only this area ("Unspecified" for requests that named none).' })
  @IsOptional()
  @FreeText('area', 100)
  @notBlank('area')
  area?: string | null;
}

@ObjectType('SuppressibleCount', {
  description: `A count that is withheld when small, so that nobody can be recognised. From 1 to ${SUPPRESSION_THRESHOLD - 1}: \`value\` is null and \`suppressed\` true. 0, and ${SUPPRESSION_THRESHOLD} or more: shown, \`suppressed\` false.`,
})
export class SuppressibleCountType {
  @Field(() => Int, { nullable: true })
  value: number | null;

  @Field()
  suppressed: boolean;
}

@ObjectType('SuppressibleNumber', {
  description: `A figure computed from records (an average, a median, hours), one decimal place. Withheld (\`value\` null, \`suppressed\` true) when from 1 to ${SUPPRESSION_THRESHOLD - 1} records; from none, an average or median is null and a sum 0, not suppressed.`,
})
export class SuppressibleNumberType {
  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field()
  suppressed: boolean;
}

@ObjectType('DemandCodeCount', { description: 'How often a term of one of the organisation’s code lists was used.' })
export class DemandCodeCountType {
  @Field()
  code: string;

  @Field({ description: 'The term’s label today (the code when the term no longer exists).' })
  label: string;

  @Field(() => SuppressibleCountType)
  count: SuppressibleCountType;
}

@ObjectType('DemandServiceCount', { description: 'How often colleagues were signposted to one service.' })
export class DemandServiceCountType {
  @Field({ description: 'The service’s name when signposted (kept even after a sharing agreement ends).' })
  serviceName: string;

  @Field(() => SuppressibleCountType)
  count: SuppressibleCountType;
}

@ObjectType('DemandWaitingTime', { description: 'Hours from a request to its first assignment, for requests first assigned in the month.' })
export class DemandWaitingTimeType {
  @Field(() => SuppressibleCountType)
  requestsAssigned: SuppressibleCountType;

  @Field(() => SuppressibleNumberType)
  medianHours: SuppressibleNumberType;

  @Field(() => SuppressibleNumberType, { description: '90th percentile: nine in ten were assigned within this.' })
  p90Hours: SuppressibleNumberType;
}

@ObjectType('DemandFeedbackBySource')
export class DemandFeedbackBySourceType {
  @Field(() => FeedbackSource)
  source: FeedbackSource;

  @Field(() => SuppressibleCountType)
  count: SuppressibleCountType;

  @Field(() => SuppressibleNumberType)
  averageRating: SuppressibleNumberType;
}

@ObjectType('DemandFeedback', { description: 'Feedback given in the month on requests of the area (ratings 1–5).' })
export class DemandFeedbackType {
  @Field(() => SuppressibleCountType)
  count: SuppressibleCountType;

  @Field(() => SuppressibleNumberType)
  averageRating: SuppressibleNumberType;

  @Field(() => [DemandFeedbackBySourceType], { description: 'Both sources, always listed.' })
  bySource: DemandFeedbackBySourceType[];
}

@ObjectType('DemandFiguresRow', {
  description:
    "One month in one area. A support request's area is its preferred area, an advice request's its area; 'Unspecified' when none was given. Requests and advice count in the month they were made, contacts and signposting in the month of the contact, closures in the month closed, feedback in the month given.",
})
export class DemandFiguresRowType {
  @Field({ description: 'YYYY-MM (UK time).' })
  month: string;

  @Field()
  area: string;

  @Field(() => SuppressibleCountType)
  supportRequests: SuppressibleCountType;

  @Field(() => SuppressibleCountType)
  adviceRequests: SuppressibleCountType;

  @Field(() => SuppressibleCountType, { description: 'Support contacts logged.' })
  contacts: SuppressibleCountType;

  @Field(() => SuppressibleNumberType, { description: 'Time MILOs spent on contacts and on answering advice requests, in hours.' })
  hours: SuppressibleNumberType;

  @Field(() => [DemandCodeCountType], { description: 'SUPPORT_THEME terms given on contacts and advice requests, in the taxonomy’s order.' })
  themes: DemandCodeCountType[];

  @Field(() => [DemandCodeCountType], { description: 'CONTACT_OUTCOME terms of the contacts.' })
  contactOutcomes: DemandCodeCountType[];

  @Field(() => [DemandCodeCountType], { description: 'CLOSURE_OUTCOME terms of the requests closed.' })
  closureOutcomes: DemandCodeCountType[];

  @Field(() => [DemandServiceCountType], { description: 'Signposting given, by service, by name.' })
  signposting: DemandServiceCountType[];

  @Field(() => DemandWaitingTimeType)
  waitingTime: DemandWaitingTimeType;

  @Field(() => DemandFeedbackType)
  feedback: DemandFeedbackType;
}

@ObjectType('DemandFigures', {
  description: `Demand on a scheme per month and area, with small numbers suppressed (below ${SUPPRESSION_THRESHOLD}, see SuppressibleCount). For scheme admins, auditors and the scheme's active Lead MILOs.`,
})
export class DemandFiguresType {
  @Field(() => SchemeType)
  scheme: SchemeType;

  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;

  @Field(() => String, { nullable: true, description: 'The area asked for; null for every area.' })
  area: string | null;

  @Field(() => [String], { description: 'Every month of the period, YYYY-MM, including months with nothing recorded.' })
  months: string[];

  @Field(() => Int, { description: 'Counts from 1 to one less than this are suppressed.' })
  suppressionThreshold: number;

  @Field(() => [DemandFiguresRowType], { description: 'Months and areas with anything recorded, by month then area ("Unspecified" last). A month and area with nothing has no row.' })
  rows: DemandFiguresRowType[];

  @Field(() => [DemandCodeCountType], {
    description: 'TRAINING_NEED terms MILOs asked for in their feedback over the whole period, across the whole scheme (whatever the area asked for), in the taxonomy’s order.',
  })
  trainingNeeds: DemandCodeCountType[];
}
