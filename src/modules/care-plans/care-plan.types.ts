import { JSONObjectResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';
import { LocalDate } from '../../platform/graphql/scalars';
import { CarePlanInputKind, InputVisibility } from './care-plan-input.entity';
import { CarePlanStatus, ConsentStatus } from './care-plan.entity';

registerEnumType(CarePlanStatus, { name: 'CarePlanStatus' });
registerEnumType(ConsentStatus, { name: 'ConsentStatus', description: "The subject's consent to the plan and its sharing, as recorded." });
registerEnumType(CarePlanInputKind, {
  name: 'CarePlanInputKind',
  valuesConfig: {
    MILO: { description: "By a MILO of the plan's owner." },
    PARTNER: { description: 'By a user of a partner organisation (a clinician), in their own name.' },
    CARER: { description: 'A carer’s input, recorded by a MILO.' },
  },
});
registerEnumType(InputVisibility, {
  name: 'InputVisibility',
  valuesConfig: {
    SHARED: { description: 'Shared with partners under the agreement.' },
    INTERNAL: { description: 'The owner only; never shared, whatever an agreement says.' },
  },
});

/*
 * Object types of care plans. Fields a partner may or may not see (the sections, the review
 * date, the consent, the subject, inputs, the team) are field resolvers that apply the
 * caller's access (care-plan.policy.ts); the plain fields here are what any reader of the plan
 * sees.
 */

@ObjectType('CarePlan', {
  implements: Node,
  description:
    'A care plan for a member of the public who repeatedly comes to police attention, owned by a police or fire organisation and shared with partners only under a data sharing agreement. Pseudonymised: listed and shared by its local reference.',
})
export class CarePlanType extends Node {
  @Field({ description: "The owner's local, pseudonymous reference." })
  reference: string;

  @Field(() => CarePlanStatus)
  status: CarePlanStatus;

  @Field(() => Int, { description: 'Bumped by every change; each version is kept (`versions`, owner only).' })
  version: number;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the plan was anonymised at the end of its retention.' })
  anonymisedAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType('CarePlanInput', { implements: Node, description: 'A contribution to a care plan, by the owner, a partner or a carer (recorded by a MILO).' })
export class CarePlanInputType extends Node {
  @Field(() => CarePlanInputKind)
  kind: CarePlanInputKind;

  @Field({ description: 'Who wrote it, as they were named then.' })
  authorName: string;

  @Field(() => String, { nullable: true, description: 'For a carer’s input: who they are to the subject.' })
  carerRelationship: string | null;

  @Field(() => String, { nullable: true, description: 'Null once the plan has been anonymised.' })
  body: string | null;

  @Field(() => InputVisibility)
  visibility: InputVisibility;

  @Field()
  createdAt: Date;
}

@ObjectType('CareTeamMember', { implements: Node, description: "Someone on a plan's care team, acting on behalf of their organisation." })
export class CareTeamMemberType extends Node {
  @Field()
  displayName: string;

  @Field({ description: 'Their part in the plan ("Community mental health nurse", "Lead MILO").' })
  role: string;

  @Field()
  addedAt: Date;

  @Field(() => Date, { nullable: true })
  removedAt: Date | null;
}

@ObjectType()
export class CarePlanConnection extends Connection('CarePlan', CarePlanType) {}

@ObjectType('CarePlanConsent', { description: "The subject's consent to the plan and its sharing, as the owner recorded it." })
export class CarePlanConsentType {
  @Field(() => ConsentStatus)
  status: ConsentStatus;

  @Field(() => String, { nullable: true, description: 'What the subject agreed to (or refused); null once the plan is anonymised.' })
  scope: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the consent (or its refusal or withdrawal) was recorded.' })
  recordedOn: string | null;
}

@ObjectType('CarePlanSubject', {
  description:
    "Who a care plan is about: identifying details kept apart from the plan, read one plan at a time, and every read audited. Deleted when the plan is anonymised.",
})
export class CarePlanSubjectType {
  @Field()
  displayName: string;

  @Field(() => LocalDate, { nullable: true })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: 'Ten digits, check digit verified.' })
  nhsNumber: string | null;

  @Field(() => String, { nullable: true, description: 'Local identifiers held by the owner (e.g. force system references).' })
  localIdentifiers: string | null;
}

@ObjectType('CarePlanInternalNote', {
  implements: Node,
  description: "A note for the owner's own MILOs (police only): never shared, whatever an agreement says.",
})
export class CarePlanInternalNoteType extends Node {
  @Field(() => String, { nullable: true, description: 'Null once the plan has been anonymised.' })
  body: string | null;

  @Field(() => Date, { nullable: true, description: 'When its text was removed (anonymisation).' })
  removedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType('CarePlanVersion', { description: 'The plan as it stood after one change: what changed, who changed it and when.' })
export class CarePlanVersionType {
  @Field(() => Int)
  version: number;

  @Field({ description: 'What changed, by field name (never the text itself).' })
  changeSummary: string;

  @Field()
  changedAt: Date;

  @Field(() => JSONObjectResolver, {
    nullable: true,
    description: 'The plan (and its care team) after the change; null once the plan has been anonymised.',
  })
  snapshot: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  anonymisedAt: Date | null;
}
