import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { pageOfCheckedRecords } from '../../platform/graphql/cost';
import { idOf } from '../../platform/graphql/global-id';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { OrganisationType, organisationById } from '../organisations';
import { SignpostingServiceType, signpostingServiceById } from '../signposting';
import { type SupportRequest, SupportRequestType, Urgency } from '../support';
import type { Referral } from './referral.entity';
import {
  ReferToServiceInput,
  ReferToServicePayload,
  ReferralConnection,
  ReferralType,
  ReferralsReceivedFilter,
  UpdateReferralStatusInput,
  UpdateReferralStatusPayload,
} from './referrals.types';
import { findReferral, listReferralsReceived, referToService, referralDetail, referralsOf, updateReferralStatus } from './referrals.service';

const SCOPED = 'Null when the agreement’s field scope does not give it to your organisation, or when retention removed it.';

@Resolver(() => ReferralType)
export class ReferralsResolver {
  @Query(() => ReferralConnection, {
    complexity: pageOfCheckedRecords,
    description:
      "Referrals sent to the caller's organisation by every organisation whose agreement grants it REFERRAL READ today, oldest first (partner users). Fields outside the agreement's field scope read as null; each read is logged in the sender's audit log.",
  })
  referralsReceived(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ReferralsReceivedFilter, { nullable: true }) filter: ReferralsReceivedFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listReferralsReceived(context, args, filter ?? {});
  }

  @Query(() => ReferralType, {
    nullable: true,
    description:
      'One referral: for the referring side, the colleague, the assigned MILO and the scheme’s Leads; for the receiving side, its partner users while the agreement stands. Null otherwise.',
  })
  referral(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    return findReferral(context, idOf('Referral', id));
  }

  @FieldResolver(() => Urgency, { nullable: true, description: SCOPED })
  urgency(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return referralDetail(context, referral, 'urgency');
  }

  @FieldResolver(() => String, { nullable: true, description: `Why the colleague was referred. ${SCOPED}` })
  reason(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return referralDetail(context, referral, 'reason');
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `${SCOPED} On the referring side, null too for those the request does not tell who the colleague is.`,
  })
  colleagueName(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return referralDetail(context, referral, 'colleagueName');
  }

  @FieldResolver(() => String, { nullable: true, description: `How to contact the colleague. ${SCOPED}` })
  contactDetails(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return referralDetail(context, referral, 'contactDetails');
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation that referred (and owns the record).' })
  referringOrganisation(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(referral.tenantId);
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation whose service receives the referral.' })
  targetOrganisation(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(referral.targetOrganisationId);
  }

  @FieldResolver(() => SignpostingServiceType, {
    nullable: true,
    description: 'The service referred to; null once it is no longer shared with the caller (serviceName stays).',
  })
  service(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return context.loaders.use(signpostingServiceById).load(referral.serviceId);
  }

  @FieldResolver(() => Boolean, { description: "True when the caller's organisation received the referral, false when it sent it." })
  receivedByUs(@Root() referral: Referral, @Ctx() context: RequestContext) {
    return referral.targetOrganisationId === context.tenantId;
  }

  @Mutation(() => ReferToServicePayload, {
    description:
      "Refers the colleague of a support request to a partner's service (the assigned MILO, with the colleague's consent). FORBIDDEN when no agreement in force allows referrals to the service's organisation; BAD_USER_INPUT naming any field the agreement does not allow.",
  })
  async referToService(@Arg('input') input: ReferToServiceInput, @Ctx() context: RequestContext) {
    return { referral: await referToService(context, input) };
  }

  @Mutation(() => UpdateReferralStatusPayload, {
    description: "The receiving organisation's partner users move a referral's status forward, while the referring organisation's agreement grants CONTRIBUTE.",
  })
  async updateReferralStatus(@Arg('input') input: UpdateReferralStatusInput, @Ctx() context: RequestContext) {
    return { referral: await updateReferralStatus(context, input) };
  }
}

@Resolver(() => SupportRequestType)
export class SupportRequestReferralsResolver {
  @FieldResolver(() => [ReferralType], {
    description: "The request's referrals to partner services, oldest first, with their status (the colleague, the assigned MILO and the scheme's Leads).",
  })
  referrals(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return referralsOf(context, request);
  }
}
