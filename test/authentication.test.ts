import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { DEV_ISSUER } from '../src/platform/auth/dev-issuer';
import { FIRE, POLICE, asTenant, demoIds, expectError, usePlatform, personas, type Caller, type GraphQLResponse } from './support/platform';

const AUDIENCE = 'milo-platform';
const VIEWER = `{ viewer { subject organisation { slug } } }`;

const { platform, owner } = usePlatform({
  beforeClose: async () => {
    if (createdOrganisations.length) await owner.query(`delete from organisation where id = any($1::uuid[])`, [createdOrganisations]);
  },
});
/** Organisations this file creates, removed afterwards so other test files never see them. */
const createdOrganisations: string[] = [];

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Sends `query` with a raw Authorization header (or none). */
async function withAuthorization(authorization: string | undefined, query = VIEWER): Promise<GraphQLResponse> {
  let call = platform.http.post('/graphql').set('Content-Type', 'application/json');
  if (authorization !== undefined) call = call.set('Authorization', authorization);
  const response = await call.send({ query });
  return {
    status: response.status,
    data: response.body?.data,
    errors: response.body?.errors,
    body: response.body,
    text: response.text,
    statements: undefined,
  };
}

/** The refusal every bad token gets: 401, a Bearer challenge, one UNAUTHENTICATED error and no data. */
function expectUnauthenticated(response: GraphQLResponse) {
  expect(response.status).toBe(401);
  expectError(response, 'UNAUTHENTICATED');
  expect(response.data).toBeUndefined();
}

function expectViewer(response: GraphQLResponse, subject: string, organisation: string) {
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  expect(response.data?.viewer).toEqual({ subject, organisation: { slug: organisation } });
}

interface SignOptions {
  alg: string;
  issuer?: string;
  audience?: string;
  subject?: string;
  organisation?: string;
  roles?: string[];
  /** null: no `exp` claim at all. */
  expiresAt?: number | string | null;
}

/** Signs a token with any key and any claims, the way an identity provider would. */
function sign(key: CryptoKey | Uint8Array, options: SignOptions): Promise<string> {
  const claims: JWTPayload = { roles: options.roles ?? ['STAFF'] };
  if (options.organisation !== undefined) claims.org = options.organisation;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg, typ: 'JWT' })
    .setIssuedAt();
  if (options.expiresAt !== null) jwt.setExpirationTime(options.expiresAt ?? '10m');
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  return jwt.sign(key);
}

/** The development issuer's own private key (the file global-setup points the platform at). */
let devKey: Promise<CryptoKey | Uint8Array> | undefined;
function devIssuerKey(): Promise<CryptoKey | Uint8Array> {
  const file = process.env.DEV_ISSUER_KEY_FILE;
  if (!file) throw new Error('DEV_ISSUER_KEY_FILE is not set: run the tests through jest (global-setup)');
  devKey ??= importJWK(JSON.parse(readFileSync(file, 'utf8')) as JWK, 'ES256');
  return devKey;
}

/** A token the development issuer's key signs, with claims the DevIssuer class cannot vary. */
async function devSigned(overrides: Partial<SignOptions> = {}): Promise<string> {
  return sign(await devIssuerKey(), {
    alg: 'ES256',
    issuer: DEV_ISSUER,
    audience: AUDIENCE,
    subject: 'hc-staff-1',
    organisation: POLICE,
    ...overrides,
  });
}

/**
 * A plain staff member. Naming the subject matters: the default subject for STAFF in the police
 * force is hc-admin-1, whose recorded SCHEME_ADMIN role the platform adds to the token's.
 */
const STAFF_MEMBER: Caller = personas.police.staff;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('bearer tokens', () => {
  it('accepts a development token (the control every refusal below differs from in one way)', async () => {
    expectViewer(await withAuthorization(`Bearer ${await platform.token(STAFF_MEMBER)}`), 'hc-staff-1', POLICE);
    expectViewer(await withAuthorization(`Bearer ${await devSigned()}`), 'hc-staff-1', POLICE);
  });

  it('refuses a request without an Authorization header, with a Bearer challenge', async () => {
    const response = await platform.http.post('/graphql').set('Content-Type', 'application/json').send({ query: VIEWER });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(response.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
    expectUnauthenticated(await withAuthorization(undefined));
    expectUnauthenticated(await withAuthorization(''));
  });

  it('refuses an Authorization scheme other than Bearer, even with a valid token', async () => {
    const token = await platform.token(STAFF_MEMBER);
    expectUnauthenticated(await withAuthorization(`Basic ${token}`));
    expectUnauthenticated(await withAuthorization(`Token ${token}`));
    expectUnauthenticated(await withAuthorization(token));
    expectUnauthenticated(await withAuthorization(`Bearer`));
    expectUnauthenticated(await withAuthorization(`Bearer ${token} ${token}`));
  });

  it('refuses a token that is not a JWT', async () => {
    expectUnauthenticated(await withAuthorization('Bearer not-a-token'));
    expectUnauthenticated(await withAuthorization('Bearer aaaa.bbbb.cccc'));
    expectUnauthenticated(await withAuthorization(`Bearer ${base64url({ alg: 'ES256' })}.not-json.c2ln`));
    expectUnauthenticated(await withAuthorization(`Bearer ${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`));
  });

  it('refuses an expired token', async () => {
    const token = await platform.token(STAFF_MEMBER, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const response = await withAuthorization(`Bearer ${token}`);
    expectUnauthenticated(response);
    expect(response.errors![0].message).toMatch(/expired/i);
  });

  it('refuses a token that never expires (no "exp" claim)', async () => {
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ expiresAt: null })}`));
  });

  it('refuses a token signed with another key, claims unchanged', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await sign(privateKey, {
      alg: 'ES256',
      issuer: DEV_ISSUER,
      audience: AUDIENCE,
      subject: 'hc-staff-1',
      organisation: POLICE,
    });
    expectUnauthenticated(await withAuthorization(`Bearer ${token}`));
  });

  it('refuses an unsigned token (alg "none") and a tampered payload', async () => {
    const claims = { iss: DEV_ISSUER, aud: AUDIENCE, sub: 'hc-admin-1', org: POLICE, roles: ['PLATFORM_OPERATOR'], exp: Math.floor(Date.now() / 1000) + 600 };
    expectUnauthenticated(await withAuthorization(`Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`));

    const [header, , signature] = (await platform.token(STAFF_MEMBER)).split('.');
    expectUnauthenticated(await withAuthorization(`Bearer ${header}.${base64url(claims)}.${signature}`));
  });

  it('refuses a token for an unknown organisation, or naming none', async () => {
    expectUnauthenticated(await withAuthorization(`Bearer ${await platform.token({ organisation: 'no-such-organisation' })}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ organisation: 'NOT A SLUG' })}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ organisation: undefined })}`));
  });

  it('refuses a token for another audience, or for none', async () => {
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ audience: 'another-service' })}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ audience: undefined })}`));
  });

  it('refuses a token from another issuer, or without a subject', async () => {
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ issuer: 'https://elsewhere.example.test/' })}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await devSigned({ subject: undefined })}`));
  });

  it('refuses a token whose subject is a person marked INACTIVE', async () => {
    const tenantId = demoIds.organisation(POLICE);
    const subject = unique('inactive');
    const [{ id }] = await asTenant(owner, tenantId, async () =>
      (
        await owner.query(
          `insert into person (tenant_id, subject, display_name, work_email, employment_type, status)
           values ($1, $2, 'Former Officer', $3, 'POLICE_OFFICER', 'INACTIVE') returning id`,
          [tenantId, subject, `${subject}@hampshire.police.uk`],
        )
      ).rows,
    );
    try {
      const response = await platform.graphql({ organisation: POLICE, roles: ['STAFF'], subject }, VIEWER);
      expectUnauthenticated(response);

      // The same person, active again, is let in: it is the status that refused them.
      await asTenant(owner, tenantId, () => owner.query(`update person set status = 'ACTIVE' where tenant_id = $1 and id = $2`, [tenantId, id]));
      expectViewer(await platform.graphql({ organisation: POLICE, roles: ['STAFF'], subject }, VIEWER), subject, POLICE);
    } finally {
      await asTenant(owner, tenantId, () => owner.query(`delete from person where tenant_id = $1 and id = $2`, [tenantId, id]));
    }
  });
});

describe('per-organisation identity providers', () => {
  const ISSUER = 'https://idp.example.test/';

  /** Registers a police organisation whose tokens come from its own identity provider. */
  async function createOrganisation(tokenPublicKey: string, status = 'ACTIVE'): Promise<{ id: string; slug: string }> {
    const slug = unique('idp-police');
    const { rows } = await owner.query(
      `insert into organisation (slug, name, kind, status, token_issuer, token_public_key)
       values ($1, $2, 'POLICE', $3, $4, $5) returning id`,
      [slug, `Test force ${slug}`, status, ISSUER, tokenPublicKey],
    );
    createdOrganisations.push(rows[0].id);
    return { id: rows[0].id, slug };
  }

  let es256: { privateKey: CryptoKey; organisation: { id: string; slug: string } };
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    es256 = { privateKey, organisation: await createOrganisation(await exportSPKI(publicKey)) };
  });

  const idpClaims = (slug: string, overrides: Partial<SignOptions> = {}): SignOptions => ({
    alg: 'ES256',
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: 'officer-4711',
    organisation: slug,
    roles: ['STAFF'],
    ...overrides,
  });

  it('accepts a token signed with the key the organisation registered (ES256, SPKI PEM)', async () => {
    const token = await sign(es256.privateKey, idpClaims(es256.organisation.slug));
    expectViewer(await withAuthorization(`Bearer ${token}`), 'officer-4711', es256.organisation.slug);
  });

  it('refuses the same claims signed by the development issuer', async () => {
    const sameClaims = await devSigned({ issuer: ISSUER, subject: 'officer-4711', organisation: es256.organisation.slug });
    expectUnauthenticated(await withAuthorization(`Bearer ${sameClaims}`));
    const devToken = await platform.token({ organisation: es256.organisation.slug, subject: 'officer-4711' });
    expectUnauthenticated(await withAuthorization(`Bearer ${devToken}`));
  });

  it('refuses a token with the right key but the wrong issuer, audience or organisation', async () => {
    const { slug } = es256.organisation;
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(es256.privateKey, idpClaims(slug, { issuer: 'https://other-idp.example.test/' }))}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(es256.privateKey, idpClaims(slug, { issuer: DEV_ISSUER }))}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(es256.privateKey, idpClaims(slug, { audience: 'another-service' }))}`));
    // This organisation's key cannot speak for another organisation.
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(es256.privateKey, idpClaims(FIRE))}`));
  });

  it('refuses an expired or never-expiring token from the organisation\'s issuer', async () => {
    const { slug } = es256.organisation;
    const expired = await sign(es256.privateKey, idpClaims(slug, { expiresAt: Math.floor(Date.now() / 1000) - 60 }));
    expectUnauthenticated(await withAuthorization(`Bearer ${expired}`));
    const everlasting = await sign(es256.privateKey, idpClaims(slug, { expiresAt: null }));
    expectUnauthenticated(await withAuthorization(`Bearer ${everlasting}`));
  });

  it('refuses tokens for an organisation that names an issuer but registers no key', async () => {
    const slug = unique('idp-keyless');
    const { rows } = await owner.query(
      `insert into organisation (slug, name, kind, token_issuer) values ($1, $2, 'POLICE', $3) returning id`,
      [slug, `Test force ${slug}`, ISSUER],
    );
    createdOrganisations.push(rows[0].id);
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(es256.privateKey, idpClaims(slug))}`));
    expectUnauthenticated(await withAuthorization(`Bearer ${await platform.token({ organisation: slug, subject: 'officer-4711' })}`));
  });

  it('refuses a symmetric token keyed with the registered public key (algorithm confusion)', async () => {
    const { rows } = await owner.query(`select token_public_key from organisation where id = $1`, [es256.organisation.id]);
    const secret = new TextEncoder().encode(rows[0].token_public_key);
    const token = await sign(secret, idpClaims(es256.organisation.slug, { alg: 'HS256' }));
    expectUnauthenticated(await withAuthorization(`Bearer ${token}`));
  });

  it('accepts an RSA key given as a JWK (RS256)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const organisation = await createOrganisation(JSON.stringify(await exportJWK(publicKey)));
    const token = await sign(privateKey, idpClaims(organisation.slug, { alg: 'RS256' }));
    expectViewer(await withAuthorization(`Bearer ${token}`), 'officer-4711', organisation.slug);

    const other = await generateKeyPair('RS256');
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(other.privateKey, idpClaims(organisation.slug, { alg: 'RS256' }))}`));
  });

  it('picks up a rotated key without a restart', async () => {
    const first = await generateKeyPair('ES256', { extractable: true });
    const organisation = await createOrganisation(await exportSPKI(first.publicKey));
    const firstToken = await sign(first.privateKey, idpClaims(organisation.slug));
    expectViewer(await withAuthorization(`Bearer ${firstToken}`), 'officer-4711', organisation.slug);

    const second = await generateKeyPair('ES256', { extractable: true });
    await owner.query(
      `update organisation set token_public_key = $2, configuration_version = configuration_version + 1 where id = $1`,
      [organisation.id, await exportSPKI(second.publicKey)],
    );
    expectUnauthenticated(await withAuthorization(`Bearer ${firstToken}`));
    const secondToken = await sign(second.privateKey, idpClaims(organisation.slug));
    expectViewer(await withAuthorization(`Bearer ${secondToken}`), 'officer-4711', organisation.slug);
  });

  it('refuses tokens, without a server error, for an organisation whose registered key is unusable', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const organisation = await createOrganisation('-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----');
    const response = await withAuthorization(`Bearer ${await sign(privateKey, idpClaims(organisation.slug))}`);
    expectUnauthenticated(response);
    expect(response.errors![0].message).toMatch(/key is not usable/);
  });

  it('refuses every token for a suspended organisation', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const organisation = await createOrganisation(await exportSPKI(publicKey));
    const token = await sign(privateKey, idpClaims(organisation.slug));
    expectViewer(await withAuthorization(`Bearer ${token}`), 'officer-4711', organisation.slug);

    await owner.query(`update organisation set status = 'SUSPENDED' where id = $1`, [organisation.id]);
    expectUnauthenticated(await withAuthorization(`Bearer ${token}`));

    const suspendedFromTheStart = await createOrganisation(await exportSPKI(publicKey), 'SUSPENDED');
    expectUnauthenticated(await withAuthorization(`Bearer ${await sign(privateKey, idpClaims(suspendedFromTheStart.slug))}`));
  });
});

describe('roles', () => {
  it('forbids a STAFF caller to list people (scheme admins only)', async () => {
    const response = await platform.graphql(STAFF_MEMBER, `{ people { totalCount } }`);
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expectError(response, 'FORBIDDEN');

    const admin = await platform.graphql(personas.police.admin, `{ people { totalCount } }`);
    expect(admin.errors).toBeUndefined();
    expect(admin.data?.people.totalCount).toBeGreaterThan(0);
  });

  it('forbids a STAFF caller to list organisations (platform operators only)', async () => {
    const response = await platform.graphql(STAFF_MEMBER, `{ organisations { totalCount } }`);
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expectError(response, 'FORBIDDEN');

    const operator = await platform.graphql({ organisation: 'milo-platform', roles: ['PLATFORM_OPERATOR'] }, `{ organisations { totalCount } }`);
    expect(operator.errors).toBeUndefined();
    expect(operator.data?.organisations.totalCount).toBeGreaterThanOrEqual(5);
  });

  it('does not let a token assert a role the platform does not know', async () => {
    const response = await platform.graphql(
      { organisation: POLICE, roles: ['ROOT' as never, 'STAFF'], subject: 'hc-staff-2' },
      `{ viewer { roles } organisations { totalCount } }`,
    );
    expectError(response, 'FORBIDDEN');
  });
});
