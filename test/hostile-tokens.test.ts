import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { DEV_ISSUER } from '../src/platform/auth/dev-issuer';
import { POLICE, usePlatform, personas, type Caller } from './support/platform';

const AUDIENCE = 'milo-platform';
const VIEWER = `{ viewer { subject organisation { slug } } }`;
/** TOKEN_MAX_LIFETIME's default; the tests run without setting it. */
const MAX_LIFETIME = 12 * 60 * 60;
const NO_STACK = /stacktrace|\bat .+\.(js|ts):\d+|<html|<pre/i;
const ORGANISATION_ISSUER = 'https://idp.example.test/';

const { platform, owner } = usePlatform({
  beforeClose: async () => {
    if (createdOrganisations.length) await owner.query(`delete from organisation where id = any($1::uuid[])`, [createdOrganisations]);
  },
});
const createdOrganisations: string[] = [];
/** The development issuer's key pair, as the file global-setup points the platform at holds it. */
let devPrivateKey: CryptoKey | Uint8Array;
let devPublicJwk: JWK;
let devPublicPem: string;
/** An organisation that verifies its tokens with its own issuer and registered key. */
let ownIssuer: { slug: string; privateKey: CryptoKey; publicPem: string };
/** An organisation whose JWKS endpoint cannot be reached. */
let unreachableJwks: { slug: string };

beforeAll(async () => {

  const file = process.env.DEV_ISSUER_KEY_FILE;
  if (!file) throw new Error('DEV_ISSUER_KEY_FILE is not set: run the tests through jest (global-setup)');
  const { d: _private, ...publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  devPublicJwk = publicJwk;
  devPrivateKey = await importJWK({ ...publicJwk, d: _private }, 'ES256');
  devPublicPem = await exportSPKI((await importJWK(publicJwk, 'ES256', { extractable: true })) as CryptoKey);

  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicPem = await exportSPKI(publicKey);
  ownIssuer = { slug: await createOrganisation('own-issuer', { token_public_key: publicPem }), privateKey, publicPem };
  // Port 9 (discard) is closed on a test machine: the key set cannot be fetched.
  unreachableJwks = { slug: await createOrganisation('unreachable-jwks', { token_jwks_url: 'http://127.0.0.1:9/jwks.json' }) };
});

async function createOrganisation(prefix: string, keys: { token_public_key?: string; token_jwks_url?: string }): Promise<string> {
  const slug = `${prefix}-${randomBytes(4).toString('hex')}`;
  const { rows } = await owner.query(
    `insert into organisation (slug, name, kind, token_issuer, token_public_key, token_jwks_url)
     values ($1, $2, 'POLICE', $3, $4, $5) returning id`,
    [slug, `Test force ${slug}`, ORGANISATION_ISSUER, keys.token_public_key ?? null, keys.token_jwks_url ?? null],
  );
  createdOrganisations.push(rows[0].id);
  return slug;
}

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: string | object) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

interface Forgery {
  header?: Record<string, unknown>;
  claims?: JWTPayload;
  /** Claims to drop from the defaults. */
  without?: Array<'exp' | 'iat' | 'sub' | 'roles'>;
}

/**
 * A token for the police force's staff member, valid in every way the development issuer
 * checks except what the forgery changes, signed with `key`.
 */
function forge(key: CryptoKey | Uint8Array, { header = {}, claims = {}, without = [] }: Forgery = {}): Promise<string> {
  const payload: JWTPayload = {
    iss: DEV_ISSUER,
    aud: AUDIENCE,
    sub: 'hc-staff-1',
    org: POLICE,
    roles: ['STAFF'],
    iat: now(),
    exp: now() + 600,
    ...claims,
  };
  for (const claim of without) delete payload[claim];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header } as { alg: string }).sign(key);
}

/** A token the development issuer's own key signs, with claims its DevIssuer class would never write. */
const devSigned = (forgery: Forgery = {}) => forge(devPrivateKey, forgery);

const hmacKeyedWith = (secret: string | Uint8Array) =>
  forge(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret, { header: { alg: 'HS256' } });

async function bearer(token: string) {
  return platform.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send({ query: VIEWER });
}

interface Attack {
  attack: string;
  token: () => Promise<string>;
}

const attacks: Attack[] = [
  { attack: "HS256 keyed with the development issuer's public key as SPKI PEM text", token: () => hmacKeyedWith(devPublicPem) },
  { attack: "HS256 keyed with the development issuer's public key as JWK JSON", token: () => hmacKeyedWith(JSON.stringify(devPublicJwk)) },
  { attack: "HS256 keyed with the development issuer's public key's raw x (text)", token: () => hmacKeyedWith(devPublicJwk.x as string) },
  { attack: "HS256 keyed with the development issuer's public key's raw x (bytes)", token: () => hmacKeyedWith(Buffer.from(devPublicJwk.x as string, 'base64url')) },
  {
    attack: 'an unsigned token (alg "none")',
    token: async () => {
      const [, payload] = (await devSigned({ claims: { roles: ['PLATFORM_OPERATOR'] } })).split('.');
      return `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    },
  },
  {
    attack: 'a token whose header embeds its own signing key (jwk)',
    token: async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return forge(privateKey, { header: { jwk: await exportJWK(publicKey) } });
    },
  },
  {
    attack: 'a token whose kid points at a key elsewhere',
    token: async () => {
      const { privateKey } = await generateKeyPair('ES256');
      return forge(privateKey, { header: { kid: 'https://attacker.example.test/jwks.json#key-1', jku: 'https://attacker.example.test/jwks.json' } });
    },
  },
  { attack: 'an RS256 token signed by another key', token: async () => forge((await generateKeyPair('RS256')).privateKey, { header: { alg: 'RS256' } }) },
  { attack: 'an EdDSA token signed by another key', token: async () => forge((await generateKeyPair('EdDSA')).privateKey, { header: { alg: 'EdDSA' } }) },
  {
    attack: 'a token with a truncated signature',
    token: async () => {
      const token = await devSigned();
      return token.slice(0, token.length - 10);
    },
  },
  { attack: 'a subject with a NUL character', token: () => devSigned({ claims: { sub: 'hc-staff-1\u0000' } }) },
  { attack: 'a subject with a newline (log forging)', token: () => devSigned({ claims: { sub: 'hc-staff-1\n{"level":30,"msg":"forged"}' } }) },
  { attack: 'a subject with DEL', token: () => devSigned({ claims: { sub: 'hc-staff-1\u007f' } }) },
  { attack: 'a subject with a C1 control character', token: () => devSigned({ claims: { sub: 'hc-staff-1\u0085' } }) },
  { attack: 'a subject over 255 characters', token: () => devSigned({ claims: { sub: 's'.repeat(256) } }) },
  { attack: 'a subject that is not a string', token: () => devSigned({ claims: { sub: 42 as unknown as string } }) },
  { attack: 'an organisation with a control character', token: () => devSigned({ claims: { org: `${POLICE}\u0007` } }) },
  { attack: 'roles that are not an array', token: () => devSigned({ claims: { roles: 'SCHEME_ADMIN' } }) },
  { attack: 'roles containing a non-string', token: () => devSigned({ claims: { roles: ['STAFF', { role: 'SCHEME_ADMIN' }] } }) },
  { attack: 'a role with a control character', token: () => devSigned({ claims: { roles: ['STAFF', 'SCHEME_ADMIN\u0000'] } }) },
  { attack: 'a role over 255 characters', token: () => devSigned({ claims: { roles: ['STAFF', 'R'.repeat(256)] } }) },
  { attack: 'a 100-year token', token: () => devSigned({ claims: { exp: now() + 100 * 365 * 24 * 3600 } }) },
  { attack: 'a token without an expiry', token: () => devSigned({ without: ['exp'] }) },
  { attack: 'a token without iat expiring beyond the lifetime cap', token: () => devSigned({ without: ['iat'], claims: { exp: now() + MAX_LIFETIME + 120 } }) },
  { attack: 'a token issued in the future', token: () => devSigned({ claims: { iat: now() + 3600, exp: now() + 7200 } }) },
  { attack: 'a token whose iat is not a number', token: () => devSigned({ claims: { iat: 'yesterday' as unknown as number } }) },
  { attack: 'a lifetime just over the cap', token: () => devSigned({ claims: { iat: now(), exp: now() + MAX_LIFETIME + 1 } }) },
  {
    attack: 'a lifetime over the cap, issued long ago to look fresh',
    token: () => devSigned({ claims: { iat: now() - 30 * 24 * 3600, exp: now() + 600 } }),
  },
  { attack: 'the wrong audience', token: () => devSigned({ claims: { aud: 'another-service' } }) },
  { attack: 'the wrong issuer', token: () => devSigned({ claims: { iss: 'https://elsewhere.example.test/' } }) },
  {
    attack: 'a token for an organisation with its own issuer, signed by the development issuer',
    token: () => devSigned({ claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER } }),
  },
  {
    attack: "HS256 keyed with an organisation's registered public key",
    token: () => forge(new TextEncoder().encode(ownIssuer.publicPem), { header: { alg: 'HS256' }, claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER } }),
  },
  {
    attack: "an RS256 token signed by another key, for an organisation with its own issuer",
    token: async () =>
      forge((await generateKeyPair('RS256')).privateKey, { header: { alg: 'RS256' }, claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER } }),
  },
  {
    attack: "a 100-year token signed with an organisation's own key",
    token: () => forge(ownIssuer.privateKey, { claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER, exp: now() + 100 * 365 * 24 * 3600 } }),
  },
  {
    attack: "a subject with NUL signed with an organisation's own key",
    token: () => forge(ownIssuer.privateKey, { claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER, sub: 'officer\u0000' } }),
  },
  {
    attack: 'a token for an organisation whose key set cannot be fetched',
    token: async () => forge((await generateKeyPair('ES256')).privateKey, { claims: { org: unreachableJwks.slug, iss: ORGANISATION_ISSUER } }),
  },
];

describe('hostile bearer tokens', () => {
  it.each(attacks)('refuses $attack with 401 UNAUTHENTICATED and no stack trace', async ({ token }) => {
    const response = await bearer(await token());
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(response.body.data).toBeUndefined();
    expect(response.text).not.toMatch(NO_STACK);
  });

  it('accepts the same tokens made honest (the controls the attacks differ from)', async () => {
    const accepted = async (token: string, subject: string, organisation: string) => {
      const response = await bearer(token);
      expect(response.body.errors).toBeUndefined();
      expect(response.status).toBe(200);
      expect(response.body.data.viewer).toEqual({ subject, organisation: { slug: organisation } });
    };
    await accepted(await devSigned(), 'hc-staff-1', POLICE);
    await accepted(await devSigned({ without: ['roles'] }), 'hc-staff-1', POLICE);
    // A lifetime just under the cap, and one with no iat expiring within it.
    await accepted(await devSigned({ claims: { iat: now(), exp: now() + MAX_LIFETIME - 1 } }), 'hc-staff-1', POLICE);
    await accepted(await devSigned({ without: ['iat'], claims: { exp: now() + MAX_LIFETIME - 60 } }), 'hc-staff-1', POLICE);
    // A clock a few seconds ahead of ours is tolerated.
    await accepted(await devSigned({ claims: { iat: now() + 20, exp: now() + 620 } }), 'hc-staff-1', POLICE);
    // A subject may hold any printable text, accents included.
    await accepted(await devSigned({ claims: { sub: 'agent-Zoë Ó Súilleabháin' } }), 'agent-Zoë Ó Súilleabháin', POLICE);
    await accepted(await forge(ownIssuer.privateKey, { claims: { org: ownIssuer.slug, iss: ORGANISATION_ISSUER, sub: 'officer-1' } }), 'officer-1', ownIssuer.slug);
  });

  it('issues development tokens no longer than the cap, and refuses to issue longer ones', async () => {
    const caller: Caller = personas.fire.staff;
    const token = await platform.token(caller);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as JWTPayload;
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(MAX_LIFETIME);
    await expect(platform.token(caller, { expiresIn: '100y' })).rejects.toThrow(/TOKEN_MAX_LIFETIME/);
    await expect(platform.token(caller, { expiresIn: `${MAX_LIFETIME + 1}s` })).rejects.toThrow(/TOKEN_MAX_LIFETIME/);
    expect((await bearer(await platform.token(caller, { expiresIn: `${MAX_LIFETIME}s` }))).status).toBe(200);
  });
});

describe('automatic persisted queries (not offered)', () => {
  let token: string;
  beforeAll(async () => {
    token = await platform.token(personas.police.staff);
  });

  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const post = (body: object) =>
    platform.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send(body);

  const requests: Array<{ attack: string; send: () => Promise<import('supertest').Response> }> = [
    { attack: 'a wrong hash without a query', send: () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }) },
    { attack: 'the right hash without a query', send: () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } }) },
    { attack: 'a wrong hash with a query', send: () => post({ query: VIEWER, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }) },
    { attack: 'the right hash with a query', send: () => post({ query: VIEWER, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } }) },
    { attack: 'an unknown protocol version', send: () => post({ query: VIEWER, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(VIEWER) } } }) },
    { attack: 'a hash that is not a string', send: () => post({ query: VIEWER, extensions: { persistedQuery: { version: 1, sha256Hash: { $ne: null } } } }) },
    {
      attack: 'a wrong hash over GET',
      send: () =>
        platform.http
          .get('/graphql')
          .query({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } }) })
          .set('Authorization', `Bearer ${token}`)
          .set('apollo-require-preflight', 'true'),
    },
  ];

  it.each(requests)('answers $attack with PERSISTED_QUERY_NOT_SUPPORTED, never a server error', async ({ send }) => {
    const response = await send();
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_SUPPORTED' });
    expect(response.body.data).toBeUndefined();
    expect(response.text).not.toMatch(NO_STACK);
  });

  it('still answers the same query sent without the extension', async () => {
    const response = await post({ query: VIEWER });
    expect(response.status).toBe(200);
    expect(response.body.data.viewer.subject).toBe('hc-staff-1');
  });
});
