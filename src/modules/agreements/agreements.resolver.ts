import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { OrganisationType, organisationById } from '../organisations';
import { AgreementState } from './access-rules';
import type { DataSharingAgreement } from './data-sharing-agreement.entity';
import {
  AccessRuleType,
  CreateDataSharingAgreementInput,
  CreateDataSharingAgreementPayload,
  DataSharingAgreementType,
  RevokeDataSharingAgreementInput,
  RevokeDataSharingAgreementPayload,
} from './agreements.types';
import { createAgreement, listAgreements, revokeAgreement, rulesByAgreementId, stateOf } from './agreements.service';

@Resolver(() => DataSharingAgreementType)
export class AgreementsResolver {
  @Query(() => [DataSharingAgreementType], {
    description: "The agreements the caller's organisation is party to, as owner or as partner (scheme admins, auditors, partner users).",
  })
  dataSharingAgreements(@Ctx() context: RequestContext) {
    return listAgreements(context);
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation whose records are shared.' })
  owner(@Root() agreement: DataSharingAgreement, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(agreement.tenantId);
  }

  @FieldResolver(() => OrganisationType)
  partner(@Root() agreement: DataSharingAgreement, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(agreement.partnerOrganisationId);
  }

  @FieldResolver(() => AgreementState, { description: 'Today: only IN_FORCE grants anything; revocation and expiry bite on the next request.' })
  state(@Root() agreement: DataSharingAgreement, @Ctx() context: RequestContext) {
    return stateOf(context, agreement);
  }

  @FieldResolver(() => [AccessRuleType])
  rules(@Root() agreement: DataSharingAgreement, @Ctx() context: RequestContext) {
    return context.loaders.use(rulesByAgreementId).load(agreement.id);
  }

  @Mutation(() => CreateDataSharingAgreementPayload, { description: "Creates an agreement sharing the caller's organisation's records with a partner (scheme admins)." })
  async createDataSharingAgreement(@Arg('input') input: CreateDataSharingAgreementInput, @Ctx() context: RequestContext) {
    return { agreement: await createAgreement(context, input) };
  }

  @Mutation(() => RevokeDataSharingAgreementPayload, { description: "Revokes one of the organisation's agreements at once (scheme admins of the owner)." })
  async revokeDataSharingAgreement(@Arg('input') input: RevokeDataSharingAgreementInput, @Ctx() context: RequestContext) {
    return { agreement: await revokeAgreement(context, input) };
  }
}
