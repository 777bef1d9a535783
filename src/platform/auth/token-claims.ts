import type { JWTPayload } from 'jose';
import { unauthenticated } from '../errors';
import { isOrganisationRole, type OrganisationRole } from './roles';

/** How far an issuer's clock may run ahead of ours before its `iat` counts as the future. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** Longer than any subject, slug or role name an identity provider has a reason to send. */
export const MAX_CLAIM_LENGTH = 255;
/**
 * C0 controls, DEL, C1 controls and unpaired surrogates: never part of an identifier. NUL is
 * text PostgreSQL refuses, line breaks forge log lines, and an unpaired surrogate is stored as
 * U+FFFD, so two different subjects could become one person.
 */
const NOT_IDENTIFIER_TEXT = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u;

/** Whether a claim is usable as an identifier: non-empty text, not too long, nothing invisible. */
export function isIdentifierText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH && !NOT_IDENTIFIER_TEXT.test(value);
}

/** What a verified token asserts, once its claims are known to be well-formed. */
export interface TokenClaims {
  subject: string;
  /** The organisation roles asserted that the platform knows; unknown names are dropped. */
  roles: OrganisationRole[];
  /** Whether the token carries a roles claim at all. */
  rolesClaimed: boolean;
  expiresAt: Date;
}

export interface TokenLimits {
  /** The longest lifetime (`exp` − `iat`, or `exp` − now without `iat`) a token may have. */
  maxLifetimeSeconds: number;
  /** Seconds since the epoch. */
  now: number;
}

/**
 * Reads the claims of a token whose signature, issuer and audience are already verified.
 * A signature proves who wrote a claim, not that it is sane: an identity provider with a
 * bug, or a stolen signing key, must not be able to hand the platform a subject PostgreSQL
 * cannot store or a credential that outlives any session.
 */
export function checkedClaims(payload: JWTPayload, limits: TokenLimits): TokenClaims {
  if (payload.sub === undefined || payload.sub === '') throw unauthenticated('The token has no subject');
  if (!isIdentifierText(payload.sub)) {
    throw unauthenticated(`The token's subject must be text of at most ${MAX_CLAIM_LENGTH} characters without control characters`);
  }
  const claimed = payload.roles;
  if (claimed !== undefined && !(Array.isArray(claimed) && claimed.every(isIdentifierText))) {
    throw unauthenticated(`The token's "roles" claim must be a list of role names`);
  }
  checkLifetime(payload, limits);
  const roles = (claimed ?? []).filter((role): role is OrganisationRole => isOrganisationRole(role));
  return {
    subject: payload.sub,
    roles,
    rolesClaimed: claimed !== undefined,
    expiresAt: new Date((payload.exp as number) * 1000),
  };
}

/**
 * A stolen token is useful for as long as it lives, so the platform, not each identity
 * provider, decides the longest life it honours.
 */
function checkLifetime({ exp, iat }: JWTPayload, { maxLifetimeSeconds, now }: TokenLimits): void {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw unauthenticated('The token has no expiry');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) throw unauthenticated('The token has an unreadable issue time');
  if (iat !== undefined && iat > now + CLOCK_TOLERANCE_SECONDS) throw unauthenticated('The token was issued in the future');
  const lifetime = exp - (iat ?? now);
  if (lifetime > maxLifetimeSeconds) {
    throw unauthenticated(`The token lives longer than the ${maxLifetimeSeconds} seconds this platform accepts`);
  }
}
