import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';

export const AuditOutcome = { ALLOWED: 'ALLOWED', DENIED: 'DENIED' } as const;
export type AuditOutcome = (typeof AuditOutcome)[keyof typeof AuditOutcome];

registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  valuesConfig: {
    ALLOWED: { description: 'The action was done.' },
    DENIED: { description: 'The action was attempted and refused; the record was not disclosed or changed.' },
  },
});

@ObjectType('AuditEvent', {
  implements: Node,
  description:
    "One event of an organisation's audit log: who (person and organisation) did or attempted what to which record, why (the agreement's purpose for partners), when, and whether it was allowed. Insert-only: nobody can change or remove an event.",
})
export class AuditEventType extends Node {
  @Field()
  occurredAt: Date;

  @Field({ description: "What was done or attempted, in the domain's words: CARE_PLAN_READ, CARE_PLAN_INPUT_CONTRIBUTED, ACCESS_RULE_UPDATED…" })
  action: string;

  @Field({ description: 'The kind of record: CarePlan, CarePlanInput, AccessRule, DataSharingAgreement, Referral, Person…' })
  entityType: string;

  @Field(() => AuditOutcome)
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'Why: for a partner, the purpose of the agreement it acted under.' })
  purpose: string | null;

  @Field({
    description:
      "The actor's subject at its identity provider (e.g. sh-clinician-1): names a partner's user, whose person record the owner cannot read; `withheld` where the platform keeps who looked from the owner.",
  })
  actorSubject: string;

  @Field(() => JSONObjectResolver, {
    description: 'What decided or changed: before/after of a rule, the ids a page read, the reason of a refusal. Never free text about a person.',
  })
  details: Record<string, unknown>;
}

@ObjectType()
export class AuditEventConnection extends Connection('AuditEvent', AuditEventType) {}

@InputType({ description: 'Narrows the audit events; every field is optional and they combine with AND.' })
export class AuditEventsFilter {
  @Field(() => String, { nullable: true, description: 'E.g. CarePlan; Person for changes to people, their identity and their roles.' })
  @IsOptional()
  @MaxLength(100)
  entityType?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The record: its global ID or database id. Matches events about it alone and page reads that include it.',
  })
  @IsOptional()
  @MaxLength(200)
  entityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events by users of this organisation (an Organisation ID).' })
  @IsOptional()
  actorOrganisationId?: string | null;

  @Field(() => ID, { nullable: true, description: "Events in this organisation's log (an Organisation ID)." })
  @IsOptional()
  ownerOrganisationId?: string | null;

  @Field(() => String, { nullable: true, description: 'E.g. CARE_PLAN_READ, PERSON_UPDATED, ROLE_GRANT_APPROVED.' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,99}$/, { message: 'action is an upper-case name such as CARE_PLAN_READ' })
  action?: string | null;

  @Field(() => AuditOutcome, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(AuditOutcome))
  outcome?: AuditOutcome | null;

  @Field(() => Date, { nullable: true, description: 'From this instant (inclusive).' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this instant (exclusive).' })
  @IsOptional()
  to?: Date | null;
}
