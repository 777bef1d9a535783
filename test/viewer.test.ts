import { FIRE, POLICE, demoIds, expectError, toGlobalId, usePlatform } from './support/platform';

const { platform } = usePlatform();
describe('viewer', () => {
  it('tells the caller who they are, which organisation and which roles', async () => {
    const response = await platform.graphql(
      { organisation: POLICE, roles: ['SCHEME_ADMIN', 'STAFF'] },
      `{ viewer { subject roles audience organisation { slug kind } person { displayName } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.viewer).toEqual({
      subject: 'hc-admin-1',
      roles: ['SCHEME_ADMIN', 'STAFF'],
      audience: 'SCHEME_ADMIN',
      organisation: { slug: POLICE, kind: 'POLICE' },
      person: { displayName: 'Sam Patel' },
    });
  });

  it('keeps of the roles the platform records only those the token asserts', async () => {
    const response = await platform.graphql(
      { organisation: FIRE, roles: ['STAFF'], subject: 'hfrs-admin-1' },
      `{ viewer { roles audience } }`,
    );
    expect(response.data?.viewer).toEqual({ roles: ['STAFF'], audience: 'STAFF' });
  });

  it('serves a subject the organisation has no person record for, without a person', async () => {
    const response = await platform.graphql(
      { organisation: POLICE, roles: ['STAFF'], subject: 'not-a-seeded-person' },
      `{ viewer { subject roles person { id } } }`,
    );
    expect(response.data?.viewer).toEqual({ subject: 'not-a-seeded-person', roles: [], person: null });
  });

  it('fetches the caller\'s own organisation by node(id:)', async () => {
    const id = toGlobalId('Organisation', demoIds.organisation(POLICE));
    const response = await platform.graphql({ organisation: POLICE }, `query($id: ID!) { node(id: $id) { id ... on Organisation { slug } } }`, { id });
    expect(response.data?.node).toEqual({ id, slug: POLICE });
  });

  it('needs a token', async () => {
    const response = await platform.graphql(null, `{ viewer { subject } }`);
    expect(response.status).toBe(401);
    expectError(response, 'UNAUTHENTICATED');
  });
});
