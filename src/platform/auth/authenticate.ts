import {
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  importJWK,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { config } from '../config';
import { isPlatformError, unauthenticated, type PlatformError } from '../errors';
import { logger, type Logger } from '../logger';
import { DEV_ISSUER, DEV_ISSUER_ALGORITHM, type DevIssuer } from './dev-issuer';
import type { OrganisationRole } from './roles';
import { checkedClaims, isIdentifierText, type TokenClaims } from './token-claims';

/** The tenant registry row the authenticator needs; read before any tenant context exists. */
export interface CallerOrganisation {
  id: string;
  slug: string;
  name: string;
  kind: string;
  status: string;
  configurationVersion: number;
  tokenIssuer: string | null;
  tokenJwksUrl: string | null;
  tokenPublicKey: string | null;
}

/** Who the verified token says the caller is. What the platform knows of them is added later. */
export interface VerifiedToken {
  organisation: CallerOrganisation;
  subject: string;
  roles: OrganisationRole[];
  /** Whether the token carries a roles claim at all (see effectiveRoles: a ceiling when it does). */
  rolesClaimed?: boolean;
  expiresAt: Date | null;
}

/** Asymmetric only: a symmetric algorithm would let anyone holding the public key sign. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** A bearer token without an expiry would be a credential that never lapses: refused. */
const REQUIRED_CLAIMS = ['exp'];

/** A registered public key and the one algorithm it verifies. */
interface StaticKey {
  key: CryptoKey | Uint8Array;
  algorithm: string;
}

/**
 * Verifies bearer tokens against the issuer and keys configured for the caller's organisation
 * (a JWKS URL or a public key), or against the development issuer for organisations that
 * configure none. The organisation is named by the token's `org` claim (its slug). Every
 * refusal is UNAUTHENTICATED, whatever failed inside the verification, and is logged at warn
 * level without the token.
 */
export class Authenticator {
  private readonly remoteKeySets = new Map<string, JWTVerifyGetKey>();
  private readonly staticKeys = new Map<string, Promise<StaticKey>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly devIssuer: DevIssuer | undefined,
  ) {}

  async verify(authorization: string | undefined, log: Logger = logger): Promise<VerifiedToken> {
    try {
      return await this.verifyToken(authorization, log);
    } catch (error) {
      // Anything else (the registry unreachable) is the platform's failure, not the caller's.
      if (isPlatformError(error)) log.warn({ reason: error.message }, 'bearer token refused');
      throw error;
    }
  }

  private async verifyToken(authorization: string | undefined, log: Logger): Promise<VerifiedToken> {
    const token = bearerToken(authorization);
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw unauthenticated('The bearer token is not a well-formed JWT');
    }
    if (!isIdentifierText(unverified.org)) {
      throw unauthenticated('The token does not name an organisation (claim "org")');
    }
    const organisation = await this.organisationBySlug(unverified.org);
    if (!organisation || organisation.status !== 'ACTIVE') {
      throw unauthenticated('The token names an unknown or suspended organisation');
    }

    const payload = await this.verifySignature(token, organisation, log);
    if (payload.org !== organisation.slug) throw unauthenticated('The token names an unknown or suspended organisation');
    let claims: TokenClaims;
    try {
      claims = checkedClaims(payload, { maxLifetimeSeconds: config().tokenMaxLifetimeSeconds, now: Math.floor(Date.now() / 1000) });
    } catch (error) {
      throw asRefusal(error, 'The token could not be verified', log);
    }
    return { organisation, ...claims };
  }

  private async verifySignature(token: string, organisation: CallerOrganisation, log: Logger): Promise<JWTPayload> {
    const audience = config().tokenAudience;
    try {
      if (organisation.tokenIssuer) {
        const options = { issuer: organisation.tokenIssuer, audience, algorithms: ASYMMETRIC_ALGORITHMS, requiredClaims: REQUIRED_CLAIMS };
        if (organisation.tokenJwksUrl) {
          return (await jwtVerify(token, this.remoteKeySet(organisation.tokenJwksUrl), options)).payload;
        }
        if (organisation.tokenPublicKey) {
          const { key, algorithm } = await this.staticKey(organisation);
          return (await jwtVerify(token, key, { ...options, algorithms: [algorithm] })).payload;
        }
        throw unauthenticated('The organisation has no token verification key configured');
      }
      if (!this.devIssuer) throw unauthenticated('The organisation has no identity provider configured');
      const options = { issuer: DEV_ISSUER, audience, algorithms: [DEV_ISSUER_ALGORITHM], requiredClaims: REQUIRED_CLAIMS };
      return (await jwtVerify(token, this.devIssuer.publicKey, options)).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      throw asRefusal(error, 'The token could not be verified', log);
    }
  }

  private remoteKeySet(url: string): JWTVerifyGetKey {
    let keySet = this.remoteKeySets.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      this.remoteKeySets.set(url, keySet);
    }
    return keySet;
  }

  private staticKey(organisation: CallerOrganisation): Promise<StaticKey> {
    // Keyed by configuration version, so a rotated key is picked up without a restart.
    const cacheKey = `${organisation.id}:${organisation.configurationVersion}:${organisation.tokenPublicKey}`;
    let key = this.staticKeys.get(cacheKey);
    if (!key) {
      // A key that cannot be imported is the organisation's misconfiguration: refuse its
      // tokens clearly rather than fail the request.
      key = importPublicKey(organisation.tokenPublicKey as string).catch(() => {
        throw unauthenticated("The organisation's token verification key is not usable");
      });
      key.catch(() => this.staticKeys.delete(cacheKey));
      this.staticKeys.set(cacheKey, key);
    }
    return key;
  }

  private async organisationBySlug(slug: string): Promise<CallerOrganisation | undefined> {
    if (!/^[a-z0-9-]{1,63}$/.test(slug)) return undefined;
    const rows: CallerOrganisation[] = await this.dataSource.query(
      `select id, slug, name, kind, status, configuration_version as "configurationVersion",
              token_issuer as "tokenIssuer", token_jwks_url as "tokenJwksUrl", token_public_key as "tokenPublicKey"
         from organisation where slug = $1`,
      [slug],
    );
    return rows[0];
  }
}

function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw unauthenticated('A bearer token is required (Authorization: Bearer <token>)');
  const match = /^Bearer\s+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
  return match[1];
}

async function importPublicKey(material: string): Promise<StaticKey> {
  const trimmed = material.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed);
    const algorithm = jwk.alg ?? algorithmFor(createPublicKey({ key: jwk, format: 'jwk' }));
    // A JWK naming a symmetric algorithm would turn the registered "public" key into a shared secret.
    if (!ASYMMETRIC_ALGORITHMS.includes(algorithm)) throw new TypeError(`Not an asymmetric algorithm: ${algorithm}`);
    return { key: await importJWK(jwk, algorithm), algorithm };
  }
  const algorithm = algorithmFor(createPublicKey(trimmed));
  return { key: await importSPKI(trimmed, algorithm), algorithm };
}

/**
 * Whatever went wrong while reading or verifying a token (a JOSE error, a TypeError from a key
 * that does not fit the token's algorithm, a malformed claim) refuses the caller; the log names
 * what failed, never the token.
 */
function asRefusal(error: unknown, message: string, log: Logger): PlatformError {
  if (isPlatformError(error)) return error;
  const { name, code, claim } = (error ?? {}) as { name?: string; code?: string; claim?: string };
  log.warn({ cause: { name, code, claim, message: error instanceof joseErrors.JOSEError ? error.message : undefined } }, 'bearer token could not be verified');
  return unauthenticated(message);
}

/** SPKI and bare JWKs do not name a JWS algorithm; the key's type and curve decide it. */
function algorithmFor(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'ec':
      return details?.namedCurve === 'secp384r1' ? 'ES384' : details?.namedCurve === 'secp521r1' ? 'ES512' : 'ES256';
    case 'ed25519':
    case 'ed448':
      return 'EdDSA';
    case 'rsa-pss':
      return 'PS256';
    default:
      return 'RS256';
  }
}
