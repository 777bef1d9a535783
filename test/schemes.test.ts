import { addDays, ukDateOf } from '../src/platform/calendar';
import { FIRE, POLICE, asTenant, demoIds, expectError, ownerClient, toGlobalId, usePlatform, personas } from './support/platform';

const { platform } = usePlatform();
const policeAdmin = personas.police.admin;
const policeStaff = personas.police.staff;
const fireAdmin = personas.fire.admin;
const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const seededScheme = toGlobalId('Scheme', demoIds.scheme(POLICE));
const today = ukDateOf(new Date());
const unique = () => Math.random().toString(36).slice(2, 10);
const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const SCHEME_FIELDS = `id name purpose roleBoundaries status roles { role title description }`;
const CREATE = `mutation($input: CreateSchemeInput!) { createScheme(input: $input) { scheme { ${SCHEME_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateSchemeInput!) { updateScheme(input: $input) { scheme { ${SCHEME_FIELDS} } } }`;
const UPDATE_ROLE = `mutation($input: UpdateSchemeRoleInput!) { updateSchemeRole(input: $input) { scheme { id } role { role title description } } }`;
const PUBLISH = `mutation($input: PublishTermsOfReferenceInput!) {
  publishTermsOfReference(input: $input) { scheme { id } termsOfReference { id version effectiveFrom body createdAt createdBy { displayName } } }
}`;
const READ = `query($id: ID!, $asOf: LocalDate) {
  scheme(id: $id) {
    id name status roles { role title }
    termsOfReference(asOf: $asOf) { id version effectiveFrom }
    termsOfReferenceVersions { version effectiveFrom }
  }
}`;

async function createScheme(name = `Wellbeing support scheme ${unique()}`): Promise<string> {
  const response = await platform.graphql(policeAdmin, CREATE, { input: { name, purpose: 'Peer support for colleagues', roleBoundaries: 'Listen and signpost' } });
  expect(response.errors).toBeUndefined();
  return response.data!.createScheme.scheme.id;
}

async function publish(schemeId: string, effectiveFrom: string, body = `Terms effective ${effectiveFrom}`) {
  return platform.graphql(policeAdmin, PUBLISH, { input: { schemeId, effectiveFrom, body } });
}

/** Rows behind the API's back, as the owner with a tenant's context. */
async function sql<T = any>(tenantId: string, text: string, values: unknown[] = []): Promise<T[]> {
  const owner = await ownerClient();
  try {
    return await asTenant(owner, tenantId, async () => (await owner.query(text, values)).rows as T[]);
  } finally {
    await owner.end();
  }
}

const auditOf = (tenantId: string, entityIds: string[]) =>
  sql(tenantId, `select action, entity_type, entity_id, actor_subject, outcome, details from audit_event where entity_id = any($1) order by occurred_at, action`, [entityIds]);

describe('reading a scheme', () => {
  it('gives any member the seeded scheme with its roles and the terms of reference in force', async () => {
    const response = await platform.graphql(policeStaff, READ, { id: seededScheme });
    expect(response.errors).toBeUndefined();
    const scheme = response.data!.scheme;
    expect(scheme.roles).toEqual([
      { role: 'MILO', title: 'Mental Ill-health Liaison Officer (MILO)' },
      { role: 'LEAD_MILO', title: 'Lead MILO' },
    ]);
    expect(scheme.termsOfReference).toMatchObject({ version: 2, effectiveFrom: '2025-04-01' });
    expect(scheme.termsOfReferenceVersions.slice(-2)).toEqual([
      { version: 2, effectiveFrom: '2025-04-01' },
      { version: 1, effectiveFrom: '2016-06-01' },
    ]);
    const earlier = await platform.graphql(policeStaff, READ, { id: seededScheme, asOf: '2020-01-01' });
    expect(earlier.data!.scheme.termsOfReference).toMatchObject({ version: 1, effectiveFrom: '2016-06-01' });
    const before = await platform.graphql(policeStaff, READ, { id: seededScheme, asOf: '2016-05-31' });
    expect(before.data!.scheme.termsOfReference).toBeNull();
  });

  it('reads a terms-of-reference version again through node(id:), but only admins see who published it', async () => {
    const current = await platform.graphql(policeStaff, READ, { id: seededScheme, asOf: '2025-04-01' });
    const id = current.data!.scheme.termsOfReference.id;
    const node = await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { id ... on TermsOfReference { version body scheme { name } } } }`, { id });
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toMatchObject({ id, version: 2, scheme: { name: 'Mental Ill-health Liaison Officer (MILO) scheme' } });
    expect(node.data!.node.body).toContain('Minimum training');

    const author = `query($id: ID!) { node(id: $id) { ... on TermsOfReference { createdBy { displayName } } } }`;
    expect((await platform.graphql(policeAdmin, author, { id })).data!.node).toEqual({ createdBy: { displayName: 'Sam Patel' } });
    expectError(await platform.graphql(policeStaff, author, { id }), 'FORBIDDEN');
  });

  it('returns null for something that is not a scheme', async () => {
    const response = await platform.graphql(policeStaff, READ, { id: toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1')) });
    expect(response.errors).toBeUndefined();
    expect(response.data!.scheme).toBeNull();
  });

  it('costs the same statements however many versions and roles there are', async () => {
    const schemeId = await createScheme();
    const cost = async () => (await platform.graphql(policeAdmin, `query($id: ID!) { scheme(id: $id) { roles { title } termsOfReference { version createdBy { displayName } } termsOfReferenceVersions { version createdBy { displayName } } } }`, { id: schemeId })).statements;
    expect((await publish(schemeId, '2020-01-01')).errors).toBeUndefined();
    const one = await cost();
    for (const date of ['2021-01-01', '2022-01-01', '2023-01-01']) expect((await publish(schemeId, date)).errors).toBeUndefined();
    expect(await cost()).toBe(one);
  });
});

describe('configuring a scheme', () => {
  it('creates a DRAFT scheme with both roles, then updates it; each change is audited', async () => {
    const name = `Wellbeing support scheme ${unique()}`;
    const created = await platform.graphql(policeAdmin, CREATE, { input: { name: `  ${name} `, purpose: 'Peer support for colleagues' } });
    expect(created.errors).toBeUndefined();
    const scheme = created.data!.createScheme.scheme;
    expect(scheme).toMatchObject({ name, purpose: 'Peer support for colleagues', roleBoundaries: null, status: 'DRAFT' });
    expect(scheme.roles.map((role: any) => [role.role, role.title])).toEqual([['MILO', 'MILO'], ['LEAD_MILO', 'Lead MILO']]);
    expect(scheme.roles.every((role: any) => role.description.length > 0)).toBe(true);

    const updated = await platform.graphql(policeAdmin, UPDATE, {
      input: { id: scheme.id, name: `${name} (2026)`, roleBoundaries: 'Not counsellors or clinicians', status: 'ACTIVE' },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateScheme.scheme).toMatchObject({ name: `${name} (2026)`, purpose: 'Peer support for colleagues', roleBoundaries: 'Not counsellors or clinicians', status: 'ACTIVE' });

    const cleared = await platform.graphql(policeAdmin, UPDATE, { input: { id: scheme.id, roleBoundaries: null } });
    expect(cleared.data!.updateScheme.scheme.roleBoundaries).toBeNull();

    const role = await platform.graphql(policeAdmin, UPDATE_ROLE, {
      input: { schemeId: scheme.id, role: 'MILO', title: 'Wellbeing Supporter', description: 'Listens, supports and signposts colleagues.' },
    });
    expect(role.errors).toBeUndefined();
    expect(role.data!.updateSchemeRole.role).toEqual({ role: 'MILO', title: 'Wellbeing Supporter', description: 'Listens, supports and signposts colleagues.' });
    const read = await platform.graphql(policeStaff, READ, { id: scheme.id });
    expect(read.data!.scheme.roles).toEqual([{ role: 'MILO', title: 'Wellbeing Supporter' }, { role: 'LEAD_MILO', title: 'Lead MILO' }]);

    const roleRows = await sql(police, `select id from scheme_role where scheme_id = $1 and code = 'MILO'`, [rawId(scheme.id)]);
    const events = await auditOf(police, [rawId(scheme.id), roleRows[0].id]);
    expect(events.map((event) => event.action)).toEqual(['SCHEME_CREATED', 'SCHEME_UPDATED', 'SCHEME_UPDATED', 'SCHEME_ROLE_UPDATED']);
    expect(events.every((event) => event.actor_subject === 'hc-admin-1' && event.outcome === 'ALLOWED')).toBe(true);
    expect(events[1].details.changes).toEqual({
      name: { from: name, to: `${name} (2026)` },
      roleBoundaries: { from: null, to: 'Not counsellors or clinicians' },
      status: { from: 'DRAFT', to: 'ACTIVE' },
    });
    expect(events[3].details).toMatchObject({ role: 'MILO', from: { title: 'MILO' }, to: { title: 'Wellbeing Supporter' } });
  });

  it('refuses to clear required fields or to move a scheme back to DRAFT', async () => {
    const schemeId = await createScheme();
    expect((await platform.graphql(policeAdmin, UPDATE, { input: { id: schemeId, status: 'ACTIVE' } })).errors).toBeUndefined();
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id: schemeId, status: 'DRAFT' } }), 'BAD_USER_INPUT');
    const cleared = expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id: schemeId, name: null } }), 'BAD_USER_INPUT');
    expect(cleared.extensions.problems).toEqual([{ field: 'name', message: expect.any(String) }]);
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id: schemeId, name: '   ' } }), 'BAD_USER_INPUT');
  });

  it('records no audit event for an update that changes nothing', async () => {
    const schemeId = await createScheme('Wellbeing support scheme unchanged ' + unique());
    const before = await auditOf(police, [rawId(schemeId)]);
    const response = await platform.graphql(policeAdmin, UPDATE, { input: { id: schemeId, purpose: 'Peer support for colleagues' } });
    expect(response.errors).toBeUndefined();
    expect(await auditOf(police, [rawId(schemeId)])).toHaveLength(before.length);
  });
});

describe('terms of reference', () => {
  it('numbers versions, keeps older ones readable and puts the right one in force on each date', async () => {
    const schemeId = await createScheme();
    const first = await publish(schemeId, '2020-01-01', 'Version one');
    expect(first.errors).toBeUndefined();
    expect(first.data!.publishTermsOfReference.termsOfReference).toMatchObject({
      version: 1,
      effectiveFrom: '2020-01-01',
      body: 'Version one',
      createdBy: { displayName: 'Sam Patel' },
    });
    expect((await publish(schemeId, '2024-06-01', 'Version two')).data!.publishTermsOfReference.termsOfReference.version).toBe(2);
    const future = addDays(today, 30);
    const third = await publish(schemeId, future, 'Version three, not yet in force');
    expect(third.data!.publishTermsOfReference.termsOfReference.version).toBe(3);

    const now = await platform.graphql(policeStaff, READ, { id: schemeId });
    expect(now.data!.scheme.termsOfReference).toMatchObject({ version: 2, effectiveFrom: '2024-06-01' });
    expect(now.data!.scheme.termsOfReferenceVersions).toEqual([
      { version: 3, effectiveFrom: future },
      { version: 2, effectiveFrom: '2024-06-01' },
      { version: 1, effectiveFrom: '2020-01-01' },
    ]);
    const asOf = async (date: string) => (await platform.graphql(policeStaff, READ, { id: schemeId, asOf: date })).data!.scheme.termsOfReference?.version ?? null;
    expect(await asOf('2019-12-31')).toBeNull();
    expect(await asOf('2020-01-01')).toBe(1);
    expect(await asOf('2024-05-31')).toBe(1);
    expect(await asOf('2024-06-01')).toBe(2);
    expect(await asOf(addDays(future, -1))).toBe(2);
    expect(await asOf(future)).toBe(3);

    const firstId = first.data!.publishTermsOfReference.termsOfReference.id;
    const older = await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { ... on TermsOfReference { version body } } }`, { id: firstId });
    expect(older.data!.node).toEqual({ version: 1, body: 'Version one' });

    const ids = (await sql(police, `select id from terms_of_reference where scheme_id = $1`, [rawId(schemeId)])).map((row) => row.id);
    const events = await auditOf(police, ids);
    expect(events.map((event) => [event.action, event.entity_type, event.details.version])).toEqual(
      expect.arrayContaining([
        ['TERMS_OF_REFERENCE_PUBLISHED', 'TermsOfReference', 1],
        ['TERMS_OF_REFERENCE_PUBLISHED', 'TermsOfReference', 2],
        ['TERMS_OF_REFERENCE_PUBLISHED', 'TermsOfReference', 3],
      ]),
    );
    expect(events).toHaveLength(3);
  });

  it('refuses to back-date a version before the latest one', async () => {
    const schemeId = await createScheme();
    expect((await publish(schemeId, '2024-06-01')).errors).toBeUndefined();
    const error = expectError(await publish(schemeId, '2024-05-31'), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'effectiveFrom', message: expect.any(String) }]);
    expect((await publish(schemeId, '2024-06-01')).data!.publishTermsOfReference.termsOfReference.version).toBe(2);
  });

  it('refuses malformed input with BAD_USER_INPUT and writes nothing', async () => {
    const schemeId = await createScheme();
    const body = (text: string) => platform.graphql(policeAdmin, PUBLISH, { input: { schemeId, effectiveFrom: '2025-01-01', body: text } });
    const empty = expectError(await body(''), 'BAD_USER_INPUT');
    expect((empty.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain('body');
    expectError(await body(' \n\t '), 'BAD_USER_INPUT');
    expectError(await body('x'.repeat(100_001)), 'BAD_USER_INPUT');
    for (const effectiveFrom of ['2025-02-30', '01/04/2025', 'yesterday', '']) {
      expectError(await platform.graphql(policeAdmin, PUBLISH, { input: { schemeId, effectiveFrom, body: 'Terms' } }), 'BAD_USER_INPUT');
    }
    expectError(await platform.graphql(policeAdmin, READ, { id: schemeId, asOf: '2025-13-01' }), 'BAD_USER_INPUT');
    const notAScheme = toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1'));
    expectError(await platform.graphql(policeAdmin, PUBLISH, { input: { schemeId: notAScheme, effectiveFrom: '2025-01-01', body: 'Terms' } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, CREATE, { input: { name: '', purpose: 'x' } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, UPDATE_ROLE, { input: { schemeId, role: 'MILO', title: 'x'.repeat(201) } }), 'BAD_USER_INPUT');

    expect(await sql(police, `select id from terms_of_reference where scheme_id = $1`, [rawId(schemeId)])).toEqual([]);
    // The longest allowed document is accepted.
    const longest = await body('x'.repeat(100_000));
    expect(longest.errors).toBeUndefined();
    expect(longest.data!.publishTermsOfReference.termsOfReference.version).toBe(1);
  });

  it('answers CONFLICT when another version is published at the same moment', async () => {
    const schemeId = await createScheme();
    const owner = await ownerClient();
    try {
      // Another publisher has taken version 1 and not committed yet.
      await owner.query('begin');
      await owner.query(`select set_config('app.tenant_id', $1, true)`, [police]);
      await owner.query(`insert into terms_of_reference (tenant_id, scheme_id, version, effective_from, body) values ($1, $2, 1, '2025-01-01', 'Theirs')`, [
        police,
        rawId(schemeId),
      ]);
      const xid = (await owner.query(`select transactionid::text as xid from pg_locks where pid = pg_backend_pid() and locktype = 'transactionid'`)).rows[0].xid;
      const ours = publish(schemeId, '2025-01-01', 'Ours');
      // Wait until our insert is queued behind theirs on the unique key, then let theirs commit.
      for (let waited = 0; waited < 100; waited++) {
        const blocked = await owner.query(`select 1 from pg_locks where locktype = 'transactionid' and transactionid::text = $1 and not granted`, [xid]);
        if (blocked.rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await owner.query('commit');
      expectError(await ours, 'CONFLICT');
    } finally {
      await owner.query('rollback').catch(() => undefined);
      await owner.end();
    }
    const versions = await sql(police, `select version, body from terms_of_reference where scheme_id = $1`, [rawId(schemeId)]);
    expect(versions).toEqual([{ version: 1, body: 'Theirs' }]);
  });
});

describe('who may configure', () => {
  it('forbids staff every change, and writes nothing', async () => {
    const schemeId = await createScheme();
    const before = await auditOf(police, [rawId(schemeId)]);
    expectError(await platform.graphql(policeStaff, CREATE, { input: { name: 'Staff scheme', purpose: 'x' } }), 'FORBIDDEN');
    expectError(await platform.graphql(policeStaff, UPDATE, { input: { id: schemeId, name: 'Renamed by staff' } }), 'FORBIDDEN');
    expectError(await platform.graphql(policeStaff, UPDATE_ROLE, { input: { schemeId, role: 'MILO', title: 'Renamed by staff' } }), 'FORBIDDEN');
    expectError(await platform.graphql(policeStaff, PUBLISH, { input: { schemeId, effectiveFrom: '2025-01-01', body: 'By staff' } }), 'FORBIDDEN');
    const read = await platform.graphql(policeStaff, READ, { id: schemeId });
    expect(read.data!.scheme).toMatchObject({ status: 'DRAFT', roles: [{ title: 'MILO' }, { title: 'Lead MILO' }], termsOfReference: null });
    expect(read.data!.scheme.name).not.toBe('Renamed by staff');
    expect(await auditOf(police, [rawId(schemeId)])).toHaveLength(before.length);
    expect(await sql(police, `select 1 from scheme where name = 'Staff scheme'`)).toEqual([]);
  });
});

describe('another organisation', () => {
  it("cannot read the police scheme or its terms of reference through scheme(id:) or node(id:)", async () => {
    const scheme = await platform.graphql(fireAdmin, READ, { id: seededScheme });
    expect(scheme.errors).toBeUndefined();
    expect(scheme.data!.scheme).toBeNull();
    expect((await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id: seededScheme })).data!.node).toBeNull();
    const terms = toGlobalId('TermsOfReference', demoIds.termsOfReference(POLICE, 2));
    const node = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id ... on TermsOfReference { body } } }`, { id: terms });
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toBeNull();
    // The police see it, so the null above is isolation, not a bad id.
    expect((await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { id } }`, { id: terms })).data!.node).toEqual({ id: terms });
  });

  it('cannot change the police scheme, its roles or its terms of reference (NOT_FOUND), and nothing is written', async () => {
    const schemeId = await createScheme();
    expect((await publish(schemeId, '2024-01-01', 'Police terms')).errors).toBeUndefined();
    const auditBefore = await auditOf(police, [rawId(schemeId)]);

    expectError(await platform.graphql(fireAdmin, UPDATE, { input: { id: schemeId, name: 'Taken over', status: 'CLOSED' } }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, UPDATE_ROLE, { input: { schemeId, role: 'LEAD_MILO', title: 'Taken over' } }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, PUBLISH, { input: { schemeId, effectiveFrom: '2025-01-01', body: 'Fire terms' } }), 'NOT_FOUND');

    const read = await platform.graphql(policeAdmin, READ, { id: schemeId });
    expect(read.data!.scheme).toMatchObject({ status: 'DRAFT', roles: [{ title: 'MILO' }, { title: 'Lead MILO' }] });
    expect(read.data!.scheme.name).not.toBe('Taken over');
    expect(read.data!.scheme.termsOfReferenceVersions).toEqual([{ version: 1, effectiveFrom: '2024-01-01' }]);
    expect(await auditOf(police, [rawId(schemeId)])).toHaveLength(auditBefore.length);
    expect(await sql(fire, `select 1 from audit_event where entity_id = $1`, [rawId(schemeId)])).toEqual([]);
    expect(await sql(fire, `select 1 from terms_of_reference where body = 'Fire terms'`)).toEqual([]);
  });

  it('keeps its own scheme and terms of reference', async () => {
    const own = await platform.graphql(fireAdmin, READ, { id: toGlobalId('Scheme', demoIds.scheme(FIRE)) });
    expect(own.data!.scheme).toMatchObject({ roles: [{ role: 'MILO', title: 'Fire MILO' }, { role: 'LEAD_MILO', title: 'Lead Fire MILO' }], termsOfReference: { version: 1 } });
  });
});
