import { audienceFor, effectiveRoles, type RoleEvidence } from '../../src/platform/auth/roles';

/*
 * The roles rule, one combination at a time: the platform's records are the source, a roles
 * claim is a ceiling, PLATFORM_OPERATOR counts only in the operator organisation.
 */

const active = (...recordedRoles: string[]) => ({ status: 'ACTIVE', recordedRoles });
const roles = (evidence: Partial<RoleEvidence>) =>
  [...effectiveRoles({ person: null, tokenRoles: null, organisationKind: 'POLICE', ...evidence })].sort();

describe('effective roles', () => {
  describe('a subject that matches no person', () => {
    it.each([
      ['no roles claim', null],
      ['an empty roles claim', []],
      ['a claim of every role', ['SCHEME_ADMIN', 'STAFF', 'PARTNER', 'AUDITOR', 'PLATFORM_OPERATOR']],
    ])('has no roles at all, with %s', (_name, tokenRoles) => {
      expect(roles({ person: null, tokenRoles })).toEqual([]);
      expect(roles({ person: null, tokenRoles, organisationKind: 'PLATFORM' })).toEqual([]);
    });
  });

  it('gives an inactive person nothing, whatever is recorded or claimed', () => {
    expect(roles({ person: { status: 'INACTIVE', recordedRoles: ['STAFF'] }, tokenRoles: ['STAFF'] })).toEqual([]);
    expect(roles({ person: { status: 'INACTIVE', recordedRoles: ['STAFF'] }, tokenRoles: null })).toEqual([]);
  });

  it('is the recorded roles alone when the token carries no roles claim', () => {
    expect(roles({ person: active('SCHEME_ADMIN', 'STAFF'), tokenRoles: null })).toEqual(['SCHEME_ADMIN', 'STAFF']);
    expect(roles({ person: active(), tokenRoles: null })).toEqual([]);
  });

  it('lets a roles claim take recorded roles away (a leaver, at once)', () => {
    expect(roles({ person: active('SCHEME_ADMIN', 'STAFF'), tokenRoles: ['STAFF'] })).toEqual(['STAFF']);
    expect(roles({ person: active('SCHEME_ADMIN', 'STAFF'), tokenRoles: [] })).toEqual([]);
  });

  it('never lets a roles claim add a role the platform has not recorded', () => {
    expect(roles({ person: active('STAFF'), tokenRoles: ['STAFF', 'AUDITOR', 'SCHEME_ADMIN'] })).toEqual(['STAFF']);
    expect(roles({ person: active('STAFF'), tokenRoles: ['AUDITOR'] })).toEqual([]);
  });

  it('keeps exactly the recorded roles when the claim names them all', () => {
    expect(roles({ person: active('AUDITOR', 'STAFF'), tokenRoles: ['STAFF', 'AUDITOR'] })).toEqual(['AUDITOR', 'STAFF']);
  });

  it('ignores recorded and claimed strings that are no organisation role', () => {
    expect(roles({ person: active('STAFF', 'ROOT', 'MILO'), tokenRoles: ['ROOT', 'MILO', 'STAFF'] })).toEqual(['STAFF']);
  });

  describe('PLATFORM_OPERATOR', () => {
    it.each(['POLICE', 'FIRE_RESCUE', 'NHS_TRUST', 'OCCUPATIONAL_HEALTH', 'CHARITY', 'LOCAL_AUTHORITY'])(
      'is dropped in a %s organisation, recorded and claimed or not',
      (organisationKind) => {
        expect(roles({ person: active('PLATFORM_OPERATOR', 'STAFF'), tokenRoles: ['PLATFORM_OPERATOR', 'STAFF'], organisationKind })).toEqual(['STAFF']);
        expect(roles({ person: active('PLATFORM_OPERATOR'), tokenRoles: null, organisationKind })).toEqual([]);
        expect(roles({ person: active('STAFF'), tokenRoles: ['PLATFORM_OPERATOR'], organisationKind })).toEqual([]);
      },
    );

    it('counts in the platform operator organisation when recorded (and claimed, when there is a claim)', () => {
      expect(roles({ person: active('PLATFORM_OPERATOR'), tokenRoles: ['PLATFORM_OPERATOR'], organisationKind: 'PLATFORM' })).toEqual(['PLATFORM_OPERATOR']);
      expect(roles({ person: active('PLATFORM_OPERATOR'), tokenRoles: null, organisationKind: 'PLATFORM' })).toEqual(['PLATFORM_OPERATOR']);
      expect(roles({ person: active('PLATFORM_OPERATOR'), tokenRoles: ['STAFF'], organisationKind: 'PLATFORM' })).toEqual([]);
      expect(roles({ person: active('AUDITOR'), tokenRoles: ['PLATFORM_OPERATOR', 'AUDITOR'], organisationKind: 'PLATFORM' })).toEqual(['AUDITOR']);
    });
  });

  it('gives the audience of the effective roles, not of the claim', () => {
    const audience = (evidence: Partial<RoleEvidence>) =>
      audienceFor(effectiveRoles({ person: null, tokenRoles: null, organisationKind: 'POLICE', ...evidence }));
    expect(audience({ person: active('STAFF'), tokenRoles: ['SCHEME_ADMIN', 'STAFF'] })).toBe('STAFF');
    expect(audience({ person: active('PLATFORM_OPERATOR', 'SCHEME_ADMIN'), tokenRoles: null })).toBe('SCHEME_ADMIN');
    expect(audience({ person: active('PLATFORM_OPERATOR'), tokenRoles: null, organisationKind: 'PLATFORM' })).toBe('PLATFORM_OPERATOR');
    expect(audience({ person: active('PARTNER'), tokenRoles: ['PARTNER', 'STAFF'] })).toBe('PARTNER');
  });
});
