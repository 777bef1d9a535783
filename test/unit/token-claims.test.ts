import type { JWTPayload } from 'jose';
import { CLOCK_TOLERANCE_SECONDS, checkedClaims, isIdentifierText } from '../../src/platform/auth/token-claims';
import { isPlatformError } from '../../src/platform/errors';

const NOW = 1_800_000_000;
const limits = { maxLifetimeSeconds: 3600, now: NOW };
const honest: JWTPayload = { sub: 'hc-staff-1', roles: ['STAFF'], iat: NOW, exp: NOW + 600 };

/** The refusal's message, or undefined when the claims are accepted. */
function refusal(payload: JWTPayload): string | undefined {
  try {
    checkedClaims(payload, limits);
    return undefined;
  } catch (error) {
    expect(isPlatformError(error) && error.extensions.code).toBe('UNAUTHENTICATED');
    return (error as Error).message;
  }
}

describe('isIdentifierText', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['an unpaired surrogate', 'a\ud800b'],
    ['more than 255 characters', 'x'.repeat(256)],
    ['nothing', ''],
  ])('refuses text with %s', (_what, value) => {
    expect(isIdentifierText(value)).toBe(false);
  });

  it('accepts printable text of any script up to 255 characters, and nothing but text', () => {
    expect(isIdentifierText('x'.repeat(255))).toBe(true);
    expect(isIdentifierText('Zoë Ó Súilleabháin 🚓')).toBe(true);
    expect(isIdentifierText(42)).toBe(false);
    expect(isIdentifierText(['STAFF'])).toBe(false);
  });
});

describe('checkedClaims', () => {
  it('reads an honest token: subject, the known roles only, and its expiry', () => {
    expect(checkedClaims({ ...honest, roles: ['STAFF', 'ROOT'] }, limits)).toEqual({
      subject: 'hc-staff-1',
      roles: ['STAFF'],
      rolesClaimed: true,
      expiresAt: new Date((NOW + 600) * 1000),
    });
    expect(checkedClaims({ ...honest, roles: undefined }, limits)).toMatchObject({ roles: [], rolesClaimed: false });
  });

  it('refuses a subject that is missing, not text, or carries a control character', () => {
    expect(refusal({ ...honest, sub: undefined })).toMatch(/no subject/);
    expect(refusal({ ...honest, sub: 'hc\u0000' })).toMatch(/subject/);
    expect(refusal({ ...honest, sub: 7 as unknown as string })).toMatch(/subject/);
  });

  it('refuses a roles claim that is not a list of role names', () => {
    expect(refusal({ ...honest, roles: 'STAFF' })).toMatch(/roles/);
    expect(refusal({ ...honest, roles: ['STAFF', 1] })).toMatch(/roles/);
    expect(refusal({ ...honest, roles: ['STAFF\n'] })).toMatch(/roles/);
    expect(refusal({ ...honest, roles: null })).toMatch(/roles/);
  });

  it('accepts a lifetime of exactly the cap and refuses one second more', () => {
    expect(refusal({ ...honest, exp: NOW + 3600 })).toBeUndefined();
    expect(refusal({ ...honest, exp: NOW + 3601 })).toMatch(/3600 seconds/);
    // Issued long ago to look short-lived now: the lifetime is still exp − iat.
    expect(refusal({ ...honest, iat: NOW - 86_400, exp: NOW + 60 })).toMatch(/3600 seconds/);
  });

  it('measures a token without iat from now', () => {
    expect(refusal({ ...honest, iat: undefined, exp: NOW + 3600 })).toBeUndefined();
    expect(refusal({ ...honest, iat: undefined, exp: NOW + 3601 })).toMatch(/3600 seconds/);
  });

  it('tolerates an issuer clock a little ahead, and no more', () => {
    expect(refusal({ ...honest, iat: NOW + CLOCK_TOLERANCE_SECONDS, exp: NOW + 600 })).toBeUndefined();
    expect(refusal({ ...honest, iat: NOW + CLOCK_TOLERANCE_SECONDS + 1, exp: NOW + 600 })).toMatch(/future/);
  });

  it('refuses a token without an expiry', () => {
    expect(refusal({ ...honest, exp: undefined })).toMatch(/no expiry/);
  });
});
