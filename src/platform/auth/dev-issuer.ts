import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { config } from '../config';
import { projectRoot } from '../project-root';

/** The `iss` of tokens the built-in development issuer signs. */
export const DEV_ISSUER = 'urn:milo-platform:dev-issuer';
/** The one algorithm the development issuer signs with, and so the only one its tokens may name. */
export const DEV_ISSUER_ALGORITHM = 'ES256';
const ALGORITHM = DEV_ISSUER_ALGORITHM;
/** The lifetime of a development token when none is asked for, unless the cap is shorter. */
const DEFAULT_LIFETIME_SECONDS = 8 * 60 * 60;

export interface DevTokenClaims {
  organisation: string; // the organisation's slug
  subject: string;
  roles: readonly string[];
  /** jose's notation: '8h', or seconds since the epoch; at most TOKEN_MAX_LIFETIME from issue. */
  expiresIn?: string | number;
  issuedAt?: number;
}

/**
 * Signs development tokens with a key pair kept in a git-ignored file, so the server and
 * `npm run token` (separate processes) agree on it. Never enabled in production.
 */
export class DevIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
  ) {}

  static async load(keyFile = config().devIssuerKeyFile ?? path.join(projectRoot(), '.data', 'dev-issuer-key.json')): Promise<DevIssuer> {
    const jwk = await readOrCreateKey(keyFile);
    const { d: _private, ...publicJwk } = jwk;
    const privateKey = (await importJWK(jwk, ALGORITHM)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk, ALGORITHM)) as CryptoKey;
    return new DevIssuer(privateKey, publicKey);
  }

  async sign(claims: DevTokenClaims): Promise<string> {
    const maxLifetime = config().tokenMaxLifetimeSeconds;
    const jwt = new SignJWT({ org: claims.organisation, roles: [...claims.roles] })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(config().tokenAudience)
      .setSubject(claims.subject)
      .setIssuedAt(claims.issuedAt)
      .setExpirationTime(claims.expiresIn ?? `${Math.min(DEFAULT_LIFETIME_SECONDS, maxLifetime)}s`);
    const token = await jwt.sign(this.privateKey);
    // The server refuses a token that lives longer than the cap; better to say so here than
    // to hand out a token that cannot be used.
    const { iat, exp } = decodeJwt(token);
    const lifetime = (exp as number) - (iat as number);
    if (lifetime > maxLifetime) {
      throw new Error(`A token lifetime of ${lifetime} seconds is longer than TOKEN_MAX_LIFETIME (${maxLifetime} seconds); ask for less`);
    }
    return token;
  }
}

async function readOrCreateKey(keyFile: string): Promise<JWK> {
  try {
    return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  mkdirSync(path.dirname(keyFile), { recursive: true });
  try {
    // 'wx': when two processes race to create the key, the first one wins and both use it.
    writeFileSync(keyFile, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 });
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  }
}
