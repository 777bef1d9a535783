import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { config } from '../config';
import { projectRoot } from '../project-root';

/** The `iss` of tokens the built-in development issuer signs. */
export const DEV_ISSUER = 'urn:milo-platform:dev-issuer';
const ALGORITHM = 'ES256';

export interface DevTokenClaims {
  organisation: string; // the organisation's slug
  subject: string;
  roles: readonly string[];
  expiresIn?: string | number; // jose's notation: '8h', or seconds since epoch
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
    const jwt = new SignJWT({ org: claims.organisation, roles: [...claims.roles] })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(config().tokenAudience)
      .setSubject(claims.subject)
      .setIssuedAt(claims.issuedAt)
      .setExpirationTime(claims.expiresIn ?? '8h');
    return jwt.sign(this.privateKey);
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
