import {
  AgreementState,
  MINIMUM_FIELDS,
  agreementState,
  fieldsInScope,
  fieldsOutsideScope,
  ruleAllows,
  unknownScopeFields,
  type AgreementTerms,
  type RuleTerms,
} from '../../src/modules/agreements/access-rules';

const inForce: AgreementTerms = { status: 'ACTIVE', validFrom: '2026-01-01', validTo: '2026-12-31' };
const referrals: RuleTerms = { resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['urgency', 'reason', 'colleagueName'] };
const readOnlyDirectory: RuleTerms = { resource: 'SIGNPOSTING_SERVICE', actions: ['READ'], fieldScope: [] };

describe('agreementState', () => {
  it('a draft grants nothing, whatever its dates', () => {
    expect(agreementState({ ...inForce, status: 'DRAFT' }, '2026-06-01')).toBe(AgreementState.DRAFT);
  });

  it('is not yet in force before its first day, and in force on it', () => {
    expect(agreementState(inForce, '2025-12-31')).toBe(AgreementState.NOT_YET_IN_FORCE);
    expect(agreementState(inForce, '2026-01-01')).toBe(AgreementState.IN_FORCE);
  });

  it('is in force on its last day (validTo is inclusive) and expired the day after', () => {
    expect(agreementState(inForce, '2026-12-31')).toBe(AgreementState.IN_FORCE);
    expect(agreementState(inForce, '2027-01-01')).toBe(AgreementState.EXPIRED);
  });

  it('without an end date stays in force until revoked', () => {
    expect(agreementState({ ...inForce, validTo: null }, '2099-01-01')).toBe(AgreementState.IN_FORCE);
  });

  it('revocation wins over the dates, even inside them', () => {
    expect(agreementState({ ...inForce, status: 'REVOKED' }, '2026-06-01')).toBe(AgreementState.REVOKED);
    expect(agreementState({ ...inForce, status: 'REVOKED' }, '2025-01-01')).toBe(AgreementState.REVOKED);
  });
});

describe('ruleAllows', () => {
  it('allows each action the rule names on its own resource while the agreement is in force', () => {
    expect(ruleAllows(inForce, referrals, 'REFERRAL', 'READ', '2026-06-01')).toBe(true);
    expect(ruleAllows(inForce, referrals, 'REFERRAL', 'CONTRIBUTE', '2026-06-01')).toBe(true);
    expect(ruleAllows(inForce, readOnlyDirectory, 'SIGNPOSTING_SERVICE', 'READ', '2026-06-01')).toBe(true);
  });

  it('refuses an action the rule does not name', () => {
    expect(ruleAllows(inForce, readOnlyDirectory, 'SIGNPOSTING_SERVICE', 'CONTRIBUTE', '2026-06-01')).toBe(false);
  });

  it('refuses another resource than the rule’s', () => {
    expect(ruleAllows(inForce, referrals, 'CARE_PLAN', 'READ', '2026-06-01')).toBe(false);
    expect(ruleAllows(inForce, readOnlyDirectory, 'REFERRAL', 'READ', '2026-06-01')).toBe(false);
  });

  it.each([
    ['draft', { ...inForce, status: 'DRAFT' as const }, '2026-06-01'],
    ['not yet in force', inForce, '2025-12-31'],
    ['expired', inForce, '2027-01-01'],
    ['revoked', { ...inForce, status: 'REVOKED' as const }, '2026-06-01'],
  ])('refuses everything when the agreement is %s', (_state, agreement, asOf) => {
    expect(ruleAllows(agreement, referrals, 'REFERRAL', 'READ', asOf)).toBe(false);
    expect(ruleAllows(agreement, referrals, 'REFERRAL', 'CONTRIBUTE', asOf)).toBe(false);
  });

  it('still allows on the expiry day itself', () => {
    expect(ruleAllows(inForce, referrals, 'REFERRAL', 'READ', '2026-12-31')).toBe(true);
  });
});

describe('fieldsInScope', () => {
  it('is the fields the rule names', () => {
    expect(fieldsInScope(referrals)).toEqual(['urgency', 'reason', 'colleagueName']);
  });

  it('is the resource’s minimum when the rule names none: urgency and reason for a referral', () => {
    expect(fieldsInScope({ ...referrals, fieldScope: [] })).toEqual(['urgency', 'reason']);
    expect(MINIMUM_FIELDS.REFERRAL).toEqual(['urgency', 'reason']);
  });

  it('is nothing for a resource without scoped fields', () => {
    expect(fieldsInScope(readOnlyDirectory)).toEqual([]);
  });
});

describe('fieldsOutsideScope', () => {
  it('names every given field the rule does not let through', () => {
    const minimum = { ...referrals, fieldScope: [] };
    expect(fieldsOutsideScope(minimum, { urgency: 'SOON', reason: 'r', colleagueName: 'Alex', contactDetails: '07700 900000' })).toEqual([
      'colleagueName',
      'contactDetails',
    ]);
  });

  it('ignores fields left out, null or empty: not sending them is the point', () => {
    expect(fieldsOutsideScope({ ...referrals, fieldScope: [] }, { urgency: 'SOON', reason: 'r', colleagueName: null, contactDetails: '' })).toEqual([]);
    expect(fieldsOutsideScope({ ...referrals, fieldScope: [] }, { urgency: 'SOON', colleagueName: undefined })).toEqual([]);
  });

  it('lets through exactly the named fields, including urgency only when named', () => {
    const nameOnly = { ...referrals, fieldScope: ['colleagueName'] };
    expect(fieldsOutsideScope(nameOnly, { colleagueName: 'Alex' })).toEqual([]);
    expect(fieldsOutsideScope(nameOnly, { urgency: 'URGENT', colleagueName: 'Alex' })).toEqual(['urgency']);
  });
});

describe('unknownScopeFields', () => {
  it('names fields the resource does not have, so an admin’s typo is refused', () => {
    expect(unknownScopeFields({ ...referrals, fieldScope: ['reason', 'dateOfBirth'] })).toEqual(['dateOfBirth']);
    expect(unknownScopeFields({ ...readOnlyDirectory, fieldScope: ['phone'] })).toEqual(['phone']);
    expect(unknownScopeFields(referrals)).toEqual([]);
  });
});
