import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { AdviceRequestStatus } from './advice-request.entity';
import { SupportRequestStatus } from './support-request.entity';
import { Urgency } from './urgency';

registerEnumType(SupportRequestStatus, {
  name: 'SupportRequestStatus',
  valuesConfig: {
    WAITING: { description: 'Not yet assigned to a MILO.' },
    ASSIGNED: { description: 'A MILO has it.' },
    CLOSED: { description: 'Finished, with an outcome.' },
  },
});
registerEnumType(AdviceRequestStatus, { name: 'AdviceRequestStatus' });

/*
 * Object types of the support module. Fields that need a rule (who the colleague is, free
 * text) are field resolvers in support.resolver.ts, not plain fields here.
 */

@ObjectType('SupportRequest', {
  implements: Node,
  description:
    "A colleague's request for support from the scheme, made by themself or referred by their manager. Kept minimal: no clinical detail.",
})
export class SupportRequestType extends Node {
  @Field({ description: 'The colleague asked not to be named to anyone but the assigned MILO.' })
  anonymous: boolean;

  @Field(() => Urgency)
  urgency: Urgency;

  @Field({ description: 'The request said someone is at immediate risk.' })
  immediateRisk: boolean;

  @Field(() => String, { nullable: true })
  preferredArea: string | null;

  @Field(() => SupportRequestStatus)
  status: SupportRequestStatus;

  @Field(() => Date, { nullable: true })
  assignedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The CLOSURE_OUTCOME code it was closed with.' })
  closureOutcomeCode: string | null;

  @Field(() => Date, { nullable: true, description: 'When retention removed its free text; the counts stay.' })
  freeTextRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType('SupportContact', { implements: Node, description: 'One contact a MILO logged on a support request.' })
export class SupportContactType extends Node {
  @Field(() => LocalDate)
  contactOn: string;

  @Field(() => Int)
  minutes: number;

  @Field(() => [String], { description: 'SUPPORT_THEME codes.' })
  themeCodes: string[];

  @Field({ description: 'A CONTACT_OUTCOME code.' })
  outcomeCode: string;

  @Field(() => Date, { nullable: true, description: 'When retention removed the note.' })
  noteRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType('AdviceRequest', {
  implements: Node,
  description: "An officer's request for advice about a member of the public they are dealing with, answered by a MILO.",
})
export class AdviceRequestType extends Node {
  @Field({ description: "The force's incident or occurrence reference." })
  incidentReference: string;

  @Field(() => Urgency)
  urgency: Urgency;

  @Field(() => String, { nullable: true })
  area: string | null;

  @Field(() => [String], { description: 'SUPPORT_THEME codes, set by the answering MILO.' })
  themeCodes: string[];

  @Field(() => AdviceRequestStatus)
  status: AdviceRequestStatus;

  @Field(() => Date, { nullable: true })
  answeredAt: Date | null;

  @Field(() => Int, { nullable: true })
  minutes: number | null;

  @Field(() => Date, { nullable: true })
  freeTextRemovedAt: Date | null;

  @Field()
  createdAt: Date;
}
