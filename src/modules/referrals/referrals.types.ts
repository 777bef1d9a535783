import { Equals, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';
import { FreeText } from '../../platform/graphql/validation';
import { Urgency } from '../support';
import { RECEIVER_STATUSES, ReferralStatus } from './referral-status';

/*
 * The object type carries what both sides always see. The colleague's details (urgency,
 * reason, name, contact details) and the related records are field resolvers in
 * referrals.resolver.ts: the receiving organisation sees only the fields its agreement's
 * field scope names.
 */

@ObjectType('Referral', {
  implements: Node,
  description:
    "A hand-over of a colleague, with their consent, to a partner's service (the shared occupational-health unit). Owned by the referring organisation, whose MILOs and Leads follow its status; the receiving organisation's partner users read it and move its status while the referring organisation's agreement allows, and see only the fields that agreement names.",
})
export class ReferralType extends Node {
  @Field(() => ReferralStatus)
  status: ReferralStatus;

  @Field(() => String, { nullable: true, description: 'What the receiving service said with its last status change.' })
  statusNote: string | null;

  @Field(() => Date, { nullable: true })
  statusChangedAt: Date | null;

  @Field({ description: 'The service as it was named when referred (kept if the service is later retired or no longer shared).' })
  serviceName: string;

  @Field({ description: 'The colleague agreed to the referral (always true: a referral cannot be sent without it).' })
  consentConfirmed: boolean;

  @Field(() => Date, { nullable: true, description: "When the referring scheme's retention removed the free text." })
  freeTextRemovedAt: Date | null;

  @Field({ description: 'When it was sent.' })
  createdAt: Date;
}

@ObjectType()
export class ReferralConnection extends Connection('Referral', ReferralType) {}

@InputType({
  description:
    "Refers the colleague of a support request to a partner's service. Only the fields the agreement's field scope names may be sent; the rest must be left out.",
})
export class ReferToServiceInput {
  @Field(() => ID)
  supportRequestId: string;

  @Field(() => ID, { description: 'A service that accepts referrals, owned by a partner and shared with your organisation.' })
  serviceId: string;

  @Field(() => Urgency)
  @IsIn(Object.values(Urgency))
  urgency: Urgency;

  @Field(() => String, { nullable: true, description: 'Why, in a few words (at most 2000 characters); no clinical detail.' })
  @IsOptional()
  @FreeText('reason', 2000)
  reason?: string | null;

  @Field(() => String, { nullable: true, description: "The colleague's name, when the agreement allows it (at most 200 characters)." })
  @IsOptional()
  @FreeText('colleagueName', 200)
  colleagueName?: string | null;

  @Field(() => String, { nullable: true, description: 'How the service should contact the colleague, when the agreement allows it (at most 500 characters).' })
  @IsOptional()
  @FreeText('contactDetails', 500)
  contactDetails?: string | null;

  @Field({ description: 'The colleague has agreed to be referred. Must be true.' })
  @IsBoolean()
  @Equals(true, { message: 'consentConfirmed must be true: a colleague is referred only with their consent' })
  consentConfirmed: boolean;
}

@InputType({ description: "The receiving organisation moves a referral's status (forward only)." })
export class UpdateReferralStatusInput {
  @Field(() => ID)
  referralId: string;

  @Field(() => ReferralStatus, { description: 'ACCEPTED, DECLINED or COMPLETED.' })
  @IsIn(RECEIVER_STATUSES, { message: 'status must be ACCEPTED, DECLINED or COMPLETED' })
  status: ReferralStatus;

  @Field(() => String, { nullable: true, description: 'For the referring MILO (at most 1000 characters); no clinical detail.' })
  @IsOptional()
  @FreeText('note', 1000)
  note?: string | null;
}

@InputType({ description: 'Filters for the referrals an organisation has received.' })
export class ReferralsReceivedFilter {
  @Field(() => ReferralStatus, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(ReferralStatus))
  status?: ReferralStatus | null;
}

@ObjectType()
export class ReferToServicePayload {
  @Field(() => ReferralType)
  referral: ReferralType;
}

@ObjectType()
export class UpdateReferralStatusPayload {
  @Field(() => ReferralType)
  referral: ReferralType;
}
