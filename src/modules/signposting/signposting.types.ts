import { IsBoolean, IsEmail, IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { FreeText, notBlank } from '../../platform/graphql/validation';
import { SignpostingCategory } from './signposting-service.entity';

registerEnumType(SignpostingCategory, {
  name: 'SignpostingCategory',
  description: 'What kind of service it is; crisis services are flagged separately.',
  valuesConfig: {
    OCCUPATIONAL_HEALTH: { description: 'An occupational-health service (the shared unit).' },
    EMPLOYEE_SUPPORT: { description: 'An employee assistance programme or support line.' },
    PEER_SUPPORT: { description: 'Peer support and welfare within the service.' },
    NHS_CRISIS: { description: 'NHS mental-health crisis lines (111 option 2).' },
    EMERGENCY: { description: 'Emergency services: 999.' },
    CHARITY: { description: 'A charity (Mind Blue Light, The Fire Fighters Charity).' },
    OTHER: { description: 'Anything else.' },
  },
});

const CATEGORIES = Object.values(SignpostingCategory);

/*
 * The object type carries the service's own columns; `owner` and `sharedWithUs` are field
 * resolvers in signposting.resolver.ts, so every module that returns a service (a request's
 * crisis signposting, a contact's signposting) gets them too.
 */

@ObjectType('SignpostingService', {
  implements: Node,
  description:
    "A service MILOs signpost colleagues to. Owned by one organisation; a partner (the shared occupational-health unit) may share its services under a data sharing agreement, so the caller sees its own and those shared with it, and changes only its own.",
})
export class SignpostingServiceType extends Node {
  @Field()
  name: string;

  @Field(() => SignpostingCategory)
  category: SignpostingCategory;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  website: string | null;

  @Field(() => String, { nullable: true, description: 'When it answers, e.g. "24/7" or "Mon–Fri 08:00–18:00".' })
  availability: string | null;

  @Field(() => String, { nullable: true, description: 'Who may use it.' })
  eligibility: string | null;

  @Field({ description: 'Offered at once when a request says someone is at immediate risk.' })
  crisis: boolean;

  @Field({ description: 'MILOs may send it a referral (the occupational-health unit’s intake).' })
  acceptsReferrals: boolean;

  @Field({ description: 'Retired services stay on past records but are no longer offered.' })
  active: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType({ description: 'Filters for the signposting directory; all given filters must match.' })
export class SignpostingServicesFilter {
  @Field(() => SignpostingCategory, { nullable: true })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: SignpostingCategory | null;

  @Field(() => Boolean, { nullable: true, description: 'Only crisis services.' })
  @IsOptional()
  crisisOnly?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Include the organisation's own retired services (scheme admins keep the directory). Partners' retired services are never shown.",
  })
  @IsOptional()
  includeInactive?: boolean | null;
}

/** Contact details: each optional, free text within the column limits, no NUL. */
@InputType('SignpostingDetailsInput')
abstract class SignpostingDetailsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText('description', 2000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 50 characters: digits, spaces and + ( ) - only.' })
  @IsOptional()
  @Matches(/^[0-9+() -]{1,50}$/, { message: 'phone must be 1–50 digits, spaces and + ( ) -' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(3, 320)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'An https:// or http:// address, at most 500 characters.' })
  @IsOptional()
  @Length(1, 500)
  @Matches(/^https?:\/\/[^\s\u0000]+$/, { message: 'website must be an http(s) address' })
  website?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText('availability', 200)
  availability?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText('eligibility', 1000)
  eligibility?: string | null;
}

@InputType({ description: "Adds a service to the organisation's own directory (scheme admins)." })
export class CreateSignpostingServiceInput extends SignpostingDetailsInput {
  @Field({ description: '1–200 characters, unique in the organisation.' })
  @Length(1, 200)
  @notBlank('name')
  @FreeText('name', 200)
  name: string;

  @Field(() => SignpostingCategory)
  @IsIn(CATEGORIES)
  category: SignpostingCategory;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  @IsOptional()
  @IsBoolean()
  crisis?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  @IsOptional()
  @IsBoolean()
  acceptsReferrals?: boolean | null;
}

@InputType({ description: 'Changes to one of the organisation’s own services; omitted fields stay, null clears optional text. `active: false` retires it.' })
export class UpdateSignpostingServiceInput extends SignpostingDetailsInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @notBlank('name')
  @FreeText('name', 200)
  name?: string | null;

  @Field(() => SignpostingCategory, { nullable: true })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: SignpostingCategory | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  crisis?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  acceptsReferrals?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'False retires the service; true brings it back.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;
}

@ObjectType()
export class CreateSignpostingServicePayload {
  @Field(() => SignpostingServiceType)
  service: SignpostingServiceType;
}

@ObjectType()
export class UpdateSignpostingServicePayload {
  @Field(() => SignpostingServiceType)
  service: SignpostingServiceType;
}
