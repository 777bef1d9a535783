import type { IsoDate } from '../../platform/calendar';
import {
  AgreementState,
  agreementState,
  carePlanConditionFailure,
  effectiveCarePlanConditions,
  fieldsInScope,
  type AgreementTerms,
  type CarePlanConditions,
  type RuleTerms,
} from './access-rules';

/*
 * The partner rule for care plans, once in TypeScript: whether a partner organisation may
 * read an owner's care plan, which of its fields, and if not, why. Pure functions over the
 * agreements' rules as data, so the care-plan access policy asks them rather than re-deriving
 * the rule, refusals can name the reason, and unit tests can walk every case. PostgreSQL's
 * partner_read policy on care_plan (over app_grants()) is the same rule in SQL;
 * test/partner-rule-parity.test.ts feeds one table of cases to both (docs/architecture.md,
 * "Authorization"). A plan the policy hides never reaches a resolver, so for those `plan` is
 * null and the reason is the most precise one the rule's terms allow.
 */

export interface SharingTerms {
  agreement: AgreementTerms;
  rule: RuleTerms & { conditions: CarePlanConditions | Record<string, unknown> };
}

export const CarePlanRefusalReason = {
  NO_AGREEMENT: 'NO_AGREEMENT',
  AGREEMENT_NOT_IN_FORCE: 'AGREEMENT_NOT_IN_FORCE',
  AGREEMENT_EXPIRED: 'AGREEMENT_EXPIRED',
  AGREEMENT_REVOKED: 'AGREEMENT_REVOKED',
  NOT_ON_CARE_TEAM: 'NOT_ON_CARE_TEAM',
  NO_CONSENT: 'NO_CONSENT',
  /** The plan is hidden and the rule has more than one condition that could be why. */
  CONDITIONS_NOT_MET: 'CONDITIONS_NOT_MET',
} as const;
export type CarePlanRefusalReason = (typeof CarePlanRefusalReason)[keyof typeof CarePlanRefusalReason];

export type CarePlanSharing<T extends SharingTerms = SharingTerms> =
  | { allowed: true; terms: T; fields: readonly string[] }
  | { allowed: false; reason: CarePlanRefusalReason; terms: T | null };

/** What a plan tells about itself for the conditions: the organisations on its team and the consent. */
export interface PlanFacts {
  careTeamOrganisationIds: readonly string[];
  consentStatus: string;
}

/**
 * The deep check: may the partner read this plan of the owner today? `terms` are the
 * partner's agreements with that owner that carry a CARE_PLAN rule, in any state; `plan` is
 * null when the partner's own policies hide it.
 */
export function carePlanSharing<T extends SharingTerms>(terms: readonly T[], plan: PlanFacts | null, partnerId: string, asOf: IsoDate): CarePlanSharing<T> {
  const reading = terms.filter(({ rule }) => rule.resource === 'CARE_PLAN' && rule.actions.includes('READ'));
  const inForce = reading.find(({ agreement }) => agreementState(agreement, asOf) === AgreementState.IN_FORCE);
  if (!inForce) {
    if (!reading.length) return { allowed: false, reason: 'NO_AGREEMENT', terms: null };
    // Several lapsed agreements: the one that lapsed last explains best.
    const states = reading.map((item) => ({ item, state: agreementState(item.agreement, asOf) }));
    const pick = (state: AgreementState) => states.find((entry) => entry.state === state);
    const lapsed = pick(AgreementState.EXPIRED) ?? pick(AgreementState.REVOKED) ?? states[0];
    const reason =
      lapsed.state === AgreementState.EXPIRED ? 'AGREEMENT_EXPIRED' : lapsed.state === AgreementState.REVOKED ? 'AGREEMENT_REVOKED' : 'AGREEMENT_NOT_IN_FORCE';
    return { allowed: false, reason, terms: lapsed.item };
  }
  const conditions = inForce.rule.conditions as CarePlanConditions;
  if (plan) {
    const failure = carePlanConditionFailure(conditions, plan, partnerId);
    if (failure) return { allowed: false, reason: failure, terms: inForce };
    return { allowed: true, terms: inForce, fields: fieldsInScope(inForce.rule) };
  }
  const { careTeamOnly, requireConsent } = effectiveCarePlanConditions(conditions);
  const possible: CarePlanRefusalReason[] = [...(careTeamOnly ? (['NOT_ON_CARE_TEAM'] as const) : []), ...(requireConsent ? (['NO_CONSENT'] as const) : [])];
  return { allowed: false, reason: possible.length === 1 ? possible[0] : 'CONDITIONS_NOT_MET', terms: inForce };
}

/** Terms that say which owner and which partner they bind: any agreements the partner can see. */
export interface PartyTerms extends SharingTerms {
  agreement: AgreementTerms & { tenantId: string; partnerOrganisationId: string };
}

/**
 * The partner rule: may `partnerId` read this plan of `ownerId` on `asOf`, and which fields?
 * `terms` may hold agreements of any owner and partner (what the partner's organisation is
 * party to); only those of this owner with this partner count.
 */
export function partnerCarePlanDecision<T extends PartyTerms>(
  terms: readonly T[],
  ownerId: string,
  plan: PlanFacts | null,
  partnerId: string,
  asOf: IsoDate,
): CarePlanSharing<T> {
  const between = terms.filter(({ agreement }) => agreement.tenantId === ownerId && agreement.partnerOrganisationId === partnerId);
  return carePlanSharing(between, plan, partnerId, asOf);
}

/** Names used in refusal messages. */
export interface RefusalNames {
  owner: string;
  partner: string;
}

/**
 * The message a partner user reads when a plan is refused: the rule that decided, in words,
 * naming the owner and the partner, never anything of the plan's content.
 */
export function carePlanRefusalMessage(reason: CarePlanRefusalReason, names: RefusalNames, terms: SharingTerms | null = null): string {
  const { owner, partner } = names;
  switch (reason) {
    case 'NO_AGREEMENT':
      return `No data sharing agreement in force with ${owner} grants care plans to ${partner}`;
    case 'AGREEMENT_EXPIRED':
      return `The data sharing agreement with ${owner} expired on ${terms?.agreement.validTo ?? 'its last day'}: no agreement in force grants care plans to ${partner}`;
    case 'AGREEMENT_REVOKED':
      return `The data sharing agreement with ${owner} has been revoked: no agreement in force grants care plans to ${partner}`;
    case 'AGREEMENT_NOT_IN_FORCE':
      return `The data sharing agreement with ${owner} is not in force: no agreement in force grants care plans to ${partner}`;
    case 'NOT_ON_CARE_TEAM':
      return `${partner} is not on the care team of this plan`;
    case 'NO_CONSENT':
      return `The agreement with ${owner} shares only plans whose subject has consented, and this plan has no consent recorded`;
    case 'CONDITIONS_NOT_MET':
      return `This plan is not shared with ${partner}: the agreement with ${owner} shares only plans with ${partner} on the care team and the subject's consent recorded`;
  }
}
