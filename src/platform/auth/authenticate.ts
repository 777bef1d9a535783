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
import { unauthenticated } from '../errors';
import { DEV_ISSUER, type DevIssuer } from './dev-issuer';
import { isOrganisationRole, type OrganisationRole } from './roles';

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

const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** A bearer token without an expiry would be a credential that never lapses: refused. */
const REQUIRED_CLAIMS = ['exp'];

/**
 * Verifies bearer tokens against the issuer and keys configured for the caller's organisation
 * (a JWKS URL or a public key), or against the development issuer for organisations that
 * configure none. The organisation is named by the token's `org` claim (its slug).
 */
export class Authenticator {
  private readonly remoteKeySets = new Map<string, JWTVerifyGetKey>();
  private readonly staticKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly devIssuer: DevIssuer | undefined,
  ) {}

  async verify(authorization: string | undefined): Promise<VerifiedToken> {
    const token = bearerToken(authorization);
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw unauthenticated('The bearer token is not a well-formed JWT');
    }
    if (typeof unverified.org !== 'string' || unverified.org === '') {
      throw unauthenticated('The token does not name an organisation (claim "org")');
    }
    const organisation = await this.organisationBySlug(unverified.org);
    if (!organisation || organisation.status !== 'ACTIVE') {
      throw unauthenticated('The token names an unknown or suspended organisation');
    }

    const payload = await this.verifySignature(token, organisation);
    if (!payload.sub) throw unauthenticated('The token has no subject');
    if (payload.org !== organisation.slug) throw unauthenticated('The token names an unknown or suspended organisation');
    const claimed = Array.isArray(payload.roles) ? payload.roles : [];
    const roles = claimed.filter((role): role is OrganisationRole => typeof role === 'string' && isOrganisationRole(role));
    return {
      organisation,
      subject: payload.sub,
      roles,
      rolesClaimed: payload.roles !== undefined,
      expiresAt: payload.exp ? new Date(payload.exp * 1000) : null,
    };
  }

  private async verifySignature(token: string, organisation: CallerOrganisation): Promise<JWTPayload> {
    const audience = config().tokenAudience;
    try {
      if (organisation.tokenIssuer) {
        const options = { issuer: organisation.tokenIssuer, audience, algorithms: ACCEPTED_ALGORITHMS, requiredClaims: REQUIRED_CLAIMS };
        if (organisation.tokenJwksUrl) {
          return (await jwtVerify(token, this.remoteKeySet(organisation.tokenJwksUrl), options)).payload;
        }
        if (organisation.tokenPublicKey) {
          return (await jwtVerify(token, await this.staticKey(organisation), options)).payload;
        }
        throw unauthenticated('The organisation has no token verification key configured');
      }
      if (!this.devIssuer) throw unauthenticated('The organisation has no identity provider configured');
      return (await jwtVerify(token, this.devIssuer.publicKey, { issuer: DEV_ISSUER, audience, requiredClaims: REQUIRED_CLAIMS })).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated('The token could not be verified');
      throw error;
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

  private staticKey(organisation: CallerOrganisation): Promise<CryptoKey | Uint8Array> {
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

async function importPublicKey(material: string): Promise<CryptoKey | Uint8Array> {
  const trimmed = material.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed);
    return importJWK(jwk, jwk.alg ?? algorithmFor(createPublicKey({ key: jwk, format: 'jwk' })));
  }
  return importSPKI(trimmed, algorithmFor(createPublicKey(trimmed)));
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
