import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { OrganisationType, organisationById } from '../organisations';
import { AgreementState } from './access-rules';
import { toGlobalId } from '../../platform/graphql/global-id';
import type { AccessRule } from './access-rule.entity';
import type { DataSharingAgreement } from './data-sharing-agreement.entity';
import {
  AccessRuleConditionsType,
  AccessRuleType,
  AddAccessRuleInput,
  AddAccessRulePayload,
  RemoveAccessRuleInput,
  RemoveAccessRulePayload,
  UpdateAccessRuleInput,
  UpdateAccessRulePayload,
  CreateDataSharingAgreementInput,
  CreateDataSharingAgreementPayload,
  DataSharingAgreementType,
  RevokeDataSharingAgreementInput,
  RevokeDataSharingAgreementPayload,
} from './agreements.types';
import {
  addAccessRule,
  conditionsOf,
  createAgreement,
  findAgreement,
  listAgreements,
  removeAccessRule,
  revokeAgreement,
  rulesByAgreementId,
  updateAccessRule,
} from './agreements.service';
import { stateOf } from './grants';

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

@Resolver(() => AccessRuleType)
export class AccessRulesResolver {
  @FieldResolver(() => AccessRuleConditionsType, {
    nullable: true,
    description: 'The conditions in force for a care-plan rule (defaults filled in); null for resources that take none.',
  })
  conditions(@Root() rule: AccessRule) {
    return conditionsOf(rule);
  }

  @FieldResolver(() => DataSharingAgreementType)
  agreement(@Root() rule: AccessRule, @Ctx() context: RequestContext) {
    return findAgreement(context, rule.agreementId);
  }

  @Mutation(() => AddAccessRulePayload, {
    description:
      "Adds a rule to one of the organisation's agreements, for a resource it has no rule for (scheme admins of the owner). Audited with the rule as added; the partner's next request sees it.",
  })
  addAccessRule(@Arg('input') input: AddAccessRuleInput, @Ctx() context: RequestContext) {
    return addAccessRule(context, input);
  }

  @Mutation(() => UpdateAccessRulePayload, {
    description:
      "Changes a rule's actions, field scope or conditions (scheme admins of the owner). Audited with the rule before and after; the partner's next request sees the change.",
  })
  updateAccessRule(@Arg('input') input: UpdateAccessRuleInput, @Ctx() context: RequestContext) {
    return updateAccessRule(context, input);
  }

  @Mutation(() => RemoveAccessRulePayload, {
    description: "Removes a rule from one of the organisation's agreements (scheme admins of the owner). Audited with the rule as it was.",
  })
  async removeAccessRule(@Arg('input') input: RemoveAccessRuleInput, @Ctx() context: RequestContext) {
    const { removedRuleId, agreement } = await removeAccessRule(context, input);
    return { removedRuleId: toGlobalId('AccessRule', removedRuleId), agreement };
  }
}
