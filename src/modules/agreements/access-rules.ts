import { registerEnumType } from 'type-graphql';
import type { IsoDate } from '../../platform/calendar';

/*
 * Access rules as data, checked by small pure functions (STYLE.md, after Medplum's access
 * policies). The same questions are asked of PostgreSQL by app_owners_granting() in the
 * support-work migration; these functions give the service its clear errors first.
 */

/** The kinds of an owner's records an agreement can share. */
export const SharedResource = {
  CARE_PLAN: 'CARE_PLAN',
  CARE_PLAN_INPUT: 'CARE_PLAN_INPUT',
  REFERRAL: 'REFERRAL',
  SIGNPOSTING_SERVICE: 'SIGNPOSTING_SERVICE',
} as const;
export type SharedResource = (typeof SharedResource)[keyof typeof SharedResource];

export const AccessAction = { READ: 'READ', CONTRIBUTE: 'CONTRIBUTE' } as const;
export type AccessAction = (typeof AccessAction)[keyof typeof AccessAction];

/** Where an agreement stands on a day; only IN_FORCE grants anything. */
export const AgreementState = {
  DRAFT: 'DRAFT',
  NOT_YET_IN_FORCE: 'NOT_YET_IN_FORCE',
  IN_FORCE: 'IN_FORCE',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
} as const;
export type AgreementState = (typeof AgreementState)[keyof typeof AgreementState];

registerEnumType(SharedResource, { name: 'SharedResource', description: 'A kind of record an agreement can share with a partner.' });
registerEnumType(AccessAction, {
  name: 'AccessAction',
  valuesConfig: {
    READ: { description: 'The partner may read the records.' },
    CONTRIBUTE: { description: 'The partner may add to or update the records (a referral’s status, a care-plan input).' },
  },
});
registerEnumType(AgreementState, { name: 'AgreementState', description: 'Where an agreement stands today.' });

/**
 * The fields a partner may see or be sent, per resource, when a rule names none: the
 * minimum the resource needs to be useful at all.
 */
export const MINIMUM_FIELDS: Record<SharedResource, readonly string[]> = {
  CARE_PLAN: [],
  CARE_PLAN_INPUT: [],
  REFERRAL: ['urgency', 'reason'],
  SIGNPOSTING_SERVICE: [],
};

/** Every field a rule may name, per resource; anything else is a typo the admin should see. */
export const SCOPABLE_FIELDS: Record<SharedResource, readonly string[]> = {
  CARE_PLAN: [],
  CARE_PLAN_INPUT: [],
  REFERRAL: ['urgency', 'reason', 'colleagueName', 'contactDetails'],
  SIGNPOSTING_SERVICE: [],
};

export interface AgreementTerms {
  status: 'DRAFT' | 'ACTIVE' | 'REVOKED';
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface RuleTerms {
  resource: SharedResource;
  actions: readonly AccessAction[];
  fieldScope: readonly string[];
}

/** The agreement's state on a day: revocation wins, then the dates decide. validTo is inclusive. */
export function agreementState(agreement: AgreementTerms, asOf: IsoDate): AgreementState {
  if (agreement.status === 'REVOKED') return AgreementState.REVOKED;
  if (agreement.status === 'DRAFT') return AgreementState.DRAFT;
  if (asOf < agreement.validFrom) return AgreementState.NOT_YET_IN_FORCE;
  if (agreement.validTo !== null && asOf > agreement.validTo) return AgreementState.EXPIRED;
  return AgreementState.IN_FORCE;
}

/** The shallow check: does this rule of an agreement in force allow the action on the resource? */
export function ruleAllows(agreement: AgreementTerms, rule: RuleTerms, resource: SharedResource, action: AccessAction, asOf: IsoDate): boolean {
  return agreementState(agreement, asOf) === AgreementState.IN_FORCE && rule.resource === resource && rule.actions.includes(action);
}

/** The fields a rule lets through: the ones it names, or the resource's minimum when none. */
export function fieldsInScope(rule: RuleTerms): readonly string[] {
  return rule.fieldScope.length ? rule.fieldScope : MINIMUM_FIELDS[rule.resource];
}

/** Fields given (non-empty) that the rule does not let through, for a clear refusal. */
export function fieldsOutsideScope(rule: RuleTerms, given: Record<string, unknown>): string[] {
  const allowed = new Set(fieldsInScope(rule));
  return Object.entries(given)
    .filter(([field, value]) => value !== null && value !== undefined && value !== '' && !allowed.has(field))
    .map(([field]) => field);
}

/** Rule fields no resource knows about: refused when an admin writes the rule. */
export function unknownScopeFields(rule: RuleTerms): string[] {
  const known = new Set(SCOPABLE_FIELDS[rule.resource]);
  return rule.fieldScope.filter((field) => !known.has(field));
}
