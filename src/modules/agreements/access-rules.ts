import { registerEnumType } from 'type-graphql';
import type { IsoDate } from '../../platform/calendar';

/*
 * Access rules as data, checked by small pure functions (after Medplum's access
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
  // The plan's sections, who the subject is (a table of its own), the consent, the review
  // date, and `timestamps`: when the plan was created, changed and closed, and when its team
  // members joined and its inputs were written (a timeline of someone's contact with the
  // police tells about them too, so it is shared only when named). Police-only notes and
  // INTERNAL inputs are not fields a rule can name.
  CARE_PLAN: ['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts', 'subjectIdentity', 'consent', 'reviewDueOn', 'timestamps'],
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

/**
 * Conditions a rule may put on a care plan. Missing keys take the defaults:
 * a partner sees only plans on whose care team it is, and consent is not required unless the
 * rule says so (the lawful basis may be other than consent). The database's partner_read
 * policy on care_plan reads the same keys with the same defaults.
 */
export interface CarePlanConditions {
  careTeamOnly?: boolean;
  requireConsent?: boolean;
}

export const CONDITION_KEYS: Record<SharedResource, readonly (keyof CarePlanConditions)[]> = {
  CARE_PLAN: ['careTeamOnly', 'requireConsent'],
  CARE_PLAN_INPUT: [],
  REFERRAL: [],
  SIGNPOSTING_SERVICE: [],
};

export type CarePlanConditionFailure = 'NOT_ON_CARE_TEAM' | 'NO_CONSENT';

/** Why a plan fails a rule's conditions for a partner, or null when they hold. */
export function carePlanConditionFailure(
  conditions: CarePlanConditions,
  plan: { careTeamOrganisationIds: readonly string[]; consentStatus: string },
  partnerId: string,
): CarePlanConditionFailure | null {
  if ((conditions.careTeamOnly ?? true) && !plan.careTeamOrganisationIds.includes(partnerId)) return 'NOT_ON_CARE_TEAM';
  if ((conditions.requireConsent ?? false) && plan.consentStatus !== 'GIVEN') return 'NO_CONSENT';
  return null;
}

/** Condition keys a rule may not carry for its resource (typos, or conditions of another resource). */
export function unknownConditions(resource: SharedResource, conditions: Record<string, unknown>): string[] {
  const known = new Set<string>(CONDITION_KEYS[resource]);
  return Object.keys(conditions).filter((key) => !known.has(key) || typeof conditions[key] !== 'boolean');
}

/** A care-plan rule's conditions with the defaults filled in: what the rule means today. */
export function effectiveCarePlanConditions(conditions: CarePlanConditions): Required<CarePlanConditions> {
  return { careTeamOnly: conditions.careTeamOnly ?? true, requireConsent: conditions.requireConsent ?? false };
}

/** A rule as an admin writes it (adding or replacing one), before it is stored. */
export interface RuleDraft extends RuleTerms {
  conditions: Record<string, unknown>;
}

/** What is wrong with a rule an admin wrote, field by field (`prefix` locates it in the input). */
export function ruleProblems(rule: RuleDraft, prefix = ''): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (!rule.actions.length) problems.push({ field: `${prefix}actions`, message: 'Name at least one action' });
  const unknownFields = unknownScopeFields(rule);
  if (unknownFields.length) problems.push({ field: `${prefix}fieldScope`, message: `Not fields of ${rule.resource}: ${unknownFields.join(', ')}` });
  const unknown = unknownConditions(rule.resource, rule.conditions);
  if (unknown.length) {
    const known = CONDITION_KEYS[rule.resource];
    const allowed = known.length ? `it takes ${known.join(', ')} (true or false)` : 'it takes none';
    problems.push({ field: `${prefix}conditions`, message: `Not conditions of ${rule.resource}: ${unknown.join(', ')}; ${allowed}` });
  }
  return problems;
}

/** Conditions as given in GraphQL input (absent or null keys dropped): what access_rule.conditions stores. */
export function conditionsFromInput(input: Record<string, unknown> | null | undefined): Record<string, boolean> {
  // GraphQL types the keys as booleans; anything else is caught by unknownConditions.
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== null && value !== undefined)) as Record<string, boolean>;
}
