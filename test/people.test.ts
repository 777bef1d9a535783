import { FIRE, POLICE, asTenant, demoIds, expectError, ownerClient, toGlobalId, usePlatform, personas } from './support/platform';

const { platform } = usePlatform();
const policeAdmin = personas.police.admin;
const fireAdmin = personas.fire.admin;
const policeStaff = personas.police.staff;
const policePerson = (subject: string) => toGlobalId('Person', demoIds.person(POLICE, subject));

const CREATE = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id displayName workEmail employmentType area status roles } } }`;
const unique = () => Math.random().toString(36).slice(2, 10);

async function countPeopleWithEmail(email: string): Promise<number> {
  const owner = await ownerClient();
  try {
    const result = await asTenant(owner, demoIds.organisation(POLICE), () =>
      owner.query(`select count(*)::int as n from person where lower(work_email) = lower($1)`, [email]),
    );
    return result.rows[0].n;
  } finally {
    await owner.end();
  }
}

describe('listing people', () => {
  it("gives a scheme admin their organisation's people, page by page", async () => {
    const first = await platform.graphql(policeAdmin, `{ people(first: 3) { totalCount edges { cursor node { displayName organisation { slug } } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.errors).toBeUndefined();
    const page = first.data!.people;
    expect(page.edges).toHaveLength(3);
    expect(page.totalCount).toBeGreaterThanOrEqual(7);
    expect(page.edges.every((edge: any) => edge.node.organisation.slug === POLICE)).toBe(true);
    expect(page.pageInfo.hasNextPage).toBe(true);

    const second = await platform.graphql(policeAdmin, `query($after: String) { people(first: 3, after: $after) { edges { node { displayName } } } }`, {
      after: page.pageInfo.endCursor,
    });
    const firstNames = page.edges.map((edge: any) => edge.node.displayName);
    const secondNames = second.data!.people.edges.map((edge: any) => edge.node.displayName);
    expect(secondNames).toHaveLength(3);
    expect(secondNames.some((name: string) => firstNames.includes(name))).toBe(false);
    expect([...firstNames, ...secondNames]).toEqual([...firstNames, ...secondNames].sort());
  });

  it('filters by role, search and area', async () => {
    const auditors = await platform.graphql(policeAdmin, `{ people(filter: { role: AUDITOR }) { edges { node { displayName roles } } } }`);
    expect(auditors.data!.people.edges.map((edge: any) => edge.node)).toEqual([{ displayName: 'Priya Shah', roles: ['AUDITOR'] }]);
    const search = await platform.graphql(policeAdmin, `{ people(filter: { search: "jordan reev" }) { edges { node { displayName } } } }`);
    expect(search.data!.people.edges.map((edge: any) => edge.node.displayName)).toEqual(['Jordan Reeves']);
    const wildcard = await platform.graphql(policeAdmin, `{ people(filter: { search: "%" }) { totalCount } }`);
    expect(wildcard.data!.people.totalCount).toBe(0);
  });

  it('refuses a page larger than the maximum and a forged cursor', async () => {
    expectError(await platform.graphql(policeAdmin, `{ people(first: 101) { totalCount } }`), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, `{ people(after: "bm90LWEtY3Vyc29y") { totalCount } }`), 'BAD_USER_INPUT');
  });

  it('is forbidden to staff without the scheme admin role', async () => {
    const response = await platform.graphql(policeStaff, `{ people { totalCount } }`);
    expectError(response, 'FORBIDDEN');
    expect(response.data).toBeNull();
  });

  it('lets anyone read themselves but only admins read others', async () => {
    const self = await platform.graphql(policeStaff, `query($id: ID!) { person(id: $id) { displayName } }`, { id: policePerson('hc-staff-1') });
    expect(self.data!.person).toEqual({ displayName: 'Jordan Reeves' });
    expectError(
      await platform.graphql(policeStaff, `query($id: ID!) { person(id: $id) { displayName } }`, { id: policePerson('hc-staff-2') }),
      'FORBIDDEN',
    );
    expectError(
      await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { ... on Person { displayName } } }`, { id: policePerson('hc-staff-2') }),
      'FORBIDDEN',
    );
  });

  it('hides subjects and role history from non-admins', async () => {
    const response = await platform.graphql(policeStaff, `{ viewer { person { displayName subject } } }`);
    expectError(response, 'FORBIDDEN');
  });
});

describe('another organisation', () => {
  const targets = () => ({ id: policePerson('hc-staff-2') });

  it("cannot read a police person through person(id:) or node(id:)", async () => {
    const person = await platform.graphql(fireAdmin, `query($id: ID!) { person(id: $id) { displayName } }`, targets());
    expect(person.errors).toBeUndefined();
    expect(person.data!.person).toBeNull();
    const node = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, targets());
    expect(node.data!.node).toBeNull();
  });

  it("does not list police people", async () => {
    const response = await platform.graphql(fireAdmin, `{ people(first: 100) { edges { node { organisation { slug } } } } }`);
    const slugs = new Set(response.data!.people.edges.map((edge: any) => edge.node.organisation.slug));
    expect([...slugs]).toEqual([FIRE]);
  });

  it('cannot change a police person, nor give them a role', async () => {
    expectError(
      await platform.graphql(fireAdmin, `mutation($id: ID!) { updatePerson(input: { id: $id, displayName: "Hijacked" }) { person { id } } }`, targets()),
      'NOT_FOUND',
    );
    expectError(
      await platform.graphql(fireAdmin, `mutation($id: ID!) { assignRole(input: { personId: $id, role: SCHEME_ADMIN }) { person { id } } }`, { id: targets().id }),
      'NOT_FOUND',
    );
    expectError(
      await platform.graphql(fireAdmin, `mutation($id: ID!) { revokeRole(input: { personId: $id, role: STAFF }) { person { id } } }`, { id: targets().id }),
      'NOT_FOUND',
    );
    const after = await platform.graphql(policeAdmin, `query($id: ID!) { person(id: $id) { displayName roles } }`, targets());
    expect(after.data!.person).toEqual({ displayName: 'Alex Morgan', roles: ['STAFF'] });
  });

  it('sees only its own schemes on another organisation', async () => {
    const id = toGlobalId('Organisation', demoIds.organisation(POLICE));
    const response = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { ... on Organisation { slug schemes { name } } } }`, { id });
    expect(response.data!.node).toEqual({ slug: POLICE, schemes: [] });
    const scheme = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Scheme', demoIds.scheme(POLICE)) });
    expect(scheme.data!.node).toBeNull();
  });
});

describe('changing people', () => {
  it('creates a person with roles, then updates them', async () => {
    const email = `new.${unique()}@hampshire.police.uk`;
    const created = await platform.graphql(policeAdmin, CREATE, {
      input: { displayName: 'Casey New', workEmail: email, employmentType: 'POLICE_OFFICER', area: 'Andover', roles: ['STAFF'] },
    });
    expect(created.errors).toBeUndefined();
    const person = created.data!.createPerson.person;
    expect(person).toMatchObject({ displayName: 'Casey New', workEmail: email, area: 'Andover', status: 'ACTIVE', roles: ['STAFF'] });

    const updated = await platform.graphql(
      policeAdmin,
      `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { displayName area status } } }`,
      { input: { id: person.id, displayName: 'Casey Newman', area: null, status: 'INACTIVE' } },
    );
    expect(updated.data!.updatePerson.person).toEqual({ displayName: 'Casey Newman', area: null, status: 'INACTIVE' });
  });

  it('assigns and revokes roles, keeping the history', async () => {
    const id = policePerson('hc-staff-3');
    const assigned = await platform.graphql(policeAdmin, `mutation($id: ID!) { assignRole(input: { personId: $id, role: PARTNER }) { person { roles } roleAssignment { role revokedAt } } }`, { id });
    expect(assigned.data!.assignRole).toEqual({ person: { roles: ['PARTNER', 'STAFF'] }, roleAssignment: { role: 'PARTNER', revokedAt: null } });
    const again = await platform.graphql(policeAdmin, `mutation($id: ID!) { assignRole(input: { personId: $id, role: PARTNER }) { person { roles } } }`, { id });
    expect(again.data!.assignRole.person.roles).toEqual(['PARTNER', 'STAFF']);

    const revoked = await platform.graphql(policeAdmin, `mutation($id: ID!) { revokeRole(input: { personId: $id, role: PARTNER }) { person { roles roleAssignments { role revokedAt } } } }`, { id });
    const history = revoked.data!.revokeRole.person.roleAssignments;
    expect(revoked.data!.revokeRole.person.roles).toEqual(['STAFF']);
    expect(history.find((entry: any) => entry.role === 'PARTNER').revokedAt).not.toBeNull();
  });

  it('refuses invalid input with per-field problems and writes nothing', async () => {
    const email = `not-an-email-${unique()}`;
    const response = await platform.graphql(policeAdmin, CREATE, {
      input: { displayName: '', workEmail: email, employmentType: 'POLICE_OFFICER' },
    });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field).sort()).toEqual(['displayName', 'workEmail']);
    expect(await countPeopleWithEmail(email)).toBe(0);
  });

  it('refuses an unknown enum value and a wrong kind of ID', async () => {
    const badEnum = await platform.graphql(policeAdmin, CREATE, {
      input: { displayName: 'X', workEmail: `x.${unique()}@example.org`, employmentType: 'ASTRONAUT' },
    });
    expect(badEnum.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expectError(
      await platform.graphql(policeAdmin, `mutation { updatePerson(input: { id: "${toGlobalId('Scheme', demoIds.scheme(POLICE))}", displayName: "X" }) { person { id } } }`),
      'BAD_USER_INPUT',
    );
  });

  it('refuses a duplicate work email with CONFLICT', async () => {
    const response = await platform.graphql(policeAdmin, CREATE, {
      input: { displayName: 'Sam Again', workEmail: 'SAM.PATEL@hampshire.police.uk', employmentType: 'POLICE_STAFF' },
    });
    expectError(response, 'CONFLICT');
  });

  it('rolls the whole operation back when any part of it fails', async () => {
    const email = `rollback.${unique()}@hampshire.police.uk`;
    const response = await platform.graphql(
      policeAdmin,
      `mutation($ok: CreatePersonInput!, $duplicate: CreatePersonInput!) {
         ok: createPerson(input: $ok) { person { id } }
         duplicate: createPerson(input: $duplicate) { person { id } }
       }`,
      {
        ok: { displayName: 'Would Be Created', workEmail: email, employmentType: 'POLICE_STAFF' },
        duplicate: { displayName: 'Sam Again', workEmail: 'sam.patel@hampshire.police.uk', employmentType: 'POLICE_STAFF' },
      },
    );
    expect(response.errors?.map((error) => error.extensions.code)).toEqual(['CONFLICT']);
    expect(await countPeopleWithEmail(email)).toBe(0);
  });

  it('is forbidden to staff, and only operators may grant PLATFORM_OPERATOR', async () => {
    expectError(
      await platform.graphql(policeStaff, CREATE, { input: { displayName: 'X', workEmail: `x.${unique()}@example.org`, employmentType: 'OTHER' } }),
      'FORBIDDEN',
    );
    expectError(
      await platform.graphql(policeAdmin, `mutation($id: ID!) { assignRole(input: { personId: $id, role: PLATFORM_OPERATOR }) { person { id } } }`, { id: policePerson('hc-staff-4') }),
      'FORBIDDEN',
    );
  });

  it('does not let an admin lock themselves out', async () => {
    expectError(
      await platform.graphql(policeAdmin, `mutation($id: ID!) { revokeRole(input: { personId: $id, role: SCHEME_ADMIN }) { person { id } } }`, { id: policePerson('hc-admin-1') }),
      'FORBIDDEN',
    );
  });
});
