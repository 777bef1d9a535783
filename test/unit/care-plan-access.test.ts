import {
  carePlanConditionFailure,
  conditionsFromInput,
  effectiveCarePlanConditions,
  ruleProblems,
  unknownConditions,
  type AgreementTerms,
} from '../../src/modules/agreements/access-rules';
import { carePlanRefusalMessage, carePlanSharing, type SharingTerms } from '../../src/modules/agreements/care-plan-sharing';
import { fieldVisible, type CarePlanAccess } from '../../src/modules/care-plans/care-plan.policy';

/*
 * The pure part of care-plan sharing: the conditions a rule puts on plans, how an admin's
 * rule is validated, and the deep check that decides (and explains) whether a partner may
 * read a plan. PostgreSQL's partner_read policy applies the same conditions with the same
 * defaults (test/care-plan-policies.test.ts shows it).
 */

const partner = 'partner-org';
const police = 'police-org';
const today = '2026-06-15';

const inForce: AgreementTerms = { status: 'ACTIVE', validFrom: '2026-01-01', validTo: null };
const planRule = (conditions: Record<string, unknown> = {}, fieldScope: string[] = ['whatHelps', 'whatToAvoid']) => ({
  resource: 'CARE_PLAN' as const,
  actions: ['READ' as const],
  fieldScope,
  conditions,
});
const terms = (agreement: Partial<AgreementTerms> = {}, conditions: Record<string, unknown> = {}): SharingTerms => ({
  agreement: { ...inForce, ...agreement },
  rule: planRule(conditions),
});

const onTeamWithConsent = { careTeamOrganisationIds: [police, partner], consentStatus: 'GIVEN' };
const onTeamNoConsent = { careTeamOrganisationIds: [police, partner], consentStatus: 'NOT_RECORDED' };
const offTeam = { careTeamOrganisationIds: [police], consentStatus: 'GIVEN' };

describe('care-plan conditions', () => {
  it('default to: only plans on whose care team the partner is; consent not required', () => {
    expect(effectiveCarePlanConditions({})).toEqual({ careTeamOnly: true, requireConsent: false });
    expect(carePlanConditionFailure({}, offTeam, partner)).toBe('NOT_ON_CARE_TEAM');
    expect(carePlanConditionFailure({}, onTeamNoConsent, partner)).toBeNull();
  });

  it('careTeamOnly false shares every plan of the owner, team or not', () => {
    expect(carePlanConditionFailure({ careTeamOnly: false }, offTeam, partner)).toBeNull();
  });

  it('requireConsent shares only plans with consent GIVEN (refused and withdrawn are not consent)', () => {
    expect(carePlanConditionFailure({ requireConsent: true }, onTeamNoConsent, partner)).toBe('NO_CONSENT');
    expect(carePlanConditionFailure({ requireConsent: true }, onTeamWithConsent, partner)).toBeNull();
    for (const consentStatus of ['REFUSED', 'WITHDRAWN']) {
      expect(carePlanConditionFailure({ requireConsent: true }, { ...onTeamWithConsent, consentStatus }, partner)).toBe('NO_CONSENT');
    }
  });

  it('checks the care team before the consent', () => {
    expect(carePlanConditionFailure({ requireConsent: true }, { careTeamOrganisationIds: [police], consentStatus: 'NOT_RECORDED' }, partner)).toBe(
      'NOT_ON_CARE_TEAM',
    );
  });
});

describe('validating a rule an admin writes', () => {
  it('accepts care-plan conditions on a care-plan rule', () => {
    expect(ruleProblems({ ...planRule({ careTeamOnly: false, requireConsent: true }) })).toEqual([]);
  });

  it('refuses conditions on resources that take none, and names what each resource takes', () => {
    expect(unknownConditions('REFERRAL', { careTeamOnly: true })).toEqual(['careTeamOnly']);
    expect(ruleProblems({ resource: 'REFERRAL', actions: ['READ'], fieldScope: [], conditions: { requireConsent: true } }, 'rules[0].')).toEqual([
      { field: 'rules[0].conditions', message: 'Not conditions of REFERRAL: requireConsent; it takes none' },
    ]);
  });

  it('refuses unknown condition keys and non-boolean values', () => {
    expect(unknownConditions('CARE_PLAN', { careTeamOnly: 'yes', onlyOnTuesdays: true })).toEqual(['careTeamOnly', 'onlyOnTuesdays']);
    expect(ruleProblems(planRule({ onlyOnTuesdays: true }))[0]).toEqual({
      field: 'conditions',
      message: 'Not conditions of CARE_PLAN: onlyOnTuesdays; it takes careTeamOnly, requireConsent (true or false)',
    });
  });

  it('refuses a rule without actions and fields the resource does not have, all at once', () => {
    expect(ruleProblems({ resource: 'CARE_PLAN', actions: [], fieldScope: ['whatHelps', 'internalNotes'], conditions: {} })).toEqual([
      { field: 'actions', message: 'Name at least one action' },
      { field: 'fieldScope', message: 'Not fields of CARE_PLAN: internalNotes' },
    ]);
  });

  it('stores only the conditions given: absent and null keys take the defaults', () => {
    expect(conditionsFromInput({ careTeamOnly: false, requireConsent: null })).toEqual({ careTeamOnly: false });
    expect(conditionsFromInput(null)).toEqual({});
  });
});

describe('carePlanSharing: may the partner read this plan today, and if not why', () => {
  it('allows a plan meeting the rule of an agreement in force, with the rule’s field scope', () => {
    const decision = carePlanSharing([terms()], onTeamNoConsent, partner, today);
    expect(decision).toMatchObject({ allowed: true, fields: ['whatHelps', 'whatToAvoid'] });
  });

  it('refuses without any agreement with a care-plan READ rule', () => {
    expect(carePlanSharing([], onTeamWithConsent, partner, today)).toEqual({ allowed: false, reason: 'NO_AGREEMENT', terms: null });
    const inputsOnly: SharingTerms = { agreement: inForce, rule: { resource: 'CARE_PLAN_INPUT', actions: ['READ'], fieldScope: [], conditions: {} } };
    expect(carePlanSharing([inputsOnly], onTeamWithConsent, partner, today)).toMatchObject({ allowed: false, reason: 'NO_AGREEMENT' });
  });

  it.each([
    ['expired the day before', { validTo: '2026-06-14' }, 'AGREEMENT_EXPIRED'],
    ['revoked', { status: 'REVOKED' as const }, 'AGREEMENT_REVOKED'],
    ['a draft', { status: 'DRAFT' as const }, 'AGREEMENT_NOT_IN_FORCE'],
    ['not yet in force', { validFrom: '2026-06-16' }, 'AGREEMENT_NOT_IN_FORCE'],
  ])('refuses when the only agreement is %s', (_what, agreement, reason) => {
    expect(carePlanSharing([terms(agreement)], onTeamWithConsent, partner, today)).toMatchObject({ allowed: false, reason });
  });

  it('still allows on the agreement’s last day', () => {
    expect(carePlanSharing([terms({ validTo: today })], onTeamWithConsent, partner, today).allowed).toBe(true);
  });

  it('an agreement in force wins over lapsed ones; among lapsed ones the expiry is named', () => {
    expect(carePlanSharing([terms({ status: 'REVOKED' }), terms()], onTeamWithConsent, partner, today).allowed).toBe(true);
    expect(carePlanSharing([terms({ status: 'REVOKED' }), terms({ validTo: '2026-03-31' })], onTeamWithConsent, partner, today)).toMatchObject({
      reason: 'AGREEMENT_EXPIRED',
      terms: { agreement: { validTo: '2026-03-31' } },
    });
  });

  it('refuses a plan failing the rule’s conditions, naming the condition', () => {
    expect(carePlanSharing([terms()], offTeam, partner, today)).toMatchObject({ allowed: false, reason: 'NOT_ON_CARE_TEAM' });
    expect(carePlanSharing([terms({}, { requireConsent: true })], onTeamNoConsent, partner, today)).toMatchObject({ allowed: false, reason: 'NO_CONSENT' });
  });

  it('for a plan the database hides, names the one condition that can hide it, or says both could', () => {
    expect(carePlanSharing([terms()], null, partner, today)).toMatchObject({ reason: 'NOT_ON_CARE_TEAM' });
    expect(carePlanSharing([terms({}, { careTeamOnly: false, requireConsent: true })], null, partner, today)).toMatchObject({ reason: 'NO_CONSENT' });
    expect(carePlanSharing([terms({}, { requireConsent: true })], null, partner, today)).toMatchObject({ reason: 'CONDITIONS_NOT_MET' });
  });
});

describe('refusal messages', () => {
  const names = { owner: 'Hampshire Constabulary', partner: 'Southern Health' };

  it('say which rule refused, naming the owner and the partner', () => {
    expect(carePlanRefusalMessage('NO_AGREEMENT', names)).toBe('No data sharing agreement in force with Hampshire Constabulary grants care plans to Southern Health');
    expect(carePlanRefusalMessage('NOT_ON_CARE_TEAM', names)).toBe('Southern Health is not on the care team of this plan');
    expect(carePlanRefusalMessage('AGREEMENT_EXPIRED', names, terms({ validTo: '2026-03-31' }))).toBe(
      'The data sharing agreement with Hampshire Constabulary expired on 2026-03-31: no agreement in force grants care plans to Southern Health',
    );
    expect(carePlanRefusalMessage('AGREEMENT_REVOKED', names)).toMatch(/has been revoked/);
    expect(carePlanRefusalMessage('NO_CONSENT', names)).toMatch(/consent/);
  });
});

describe('fieldVisible', () => {
  it('gives the owner every field and a partner only its rule’s field scope', () => {
    const owner: CarePlanAccess = { kind: 'OWNER' };
    const solent = { kind: 'PARTNER', grant: {} as never, fields: new Set(['whatHelps', 'whatToAvoid', 'agreedResponse']) } as CarePlanAccess;
    expect(fieldVisible(owner, 'presentationAndTriggers')).toBe(true);
    expect(fieldVisible(solent, 'whatHelps')).toBe(true);
    expect(fieldVisible(solent, 'presentationAndTriggers')).toBe(false);
    expect(fieldVisible(solent, 'subjectIdentity')).toBe(false);
  });
});
