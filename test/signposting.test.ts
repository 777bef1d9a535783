import {
  FIRE,
  OCCUPATIONAL_HEALTH,
  POLICE,
  asTenant,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
} from './support/platform';
import { createAgreement, createService, createTestUnit, databaseIdOf, revokeAgreement, setAgreementEnd, type TestUnit } from './support/partner-unit';

/*
 * The signposting directory: each organisation's own services plus those partners share with
 * it. The seeded occupational-health unit is only read here; everything this file revokes,
 * expires or retires belongs to its own throwaway unit, so other files running at the same
 * time keep seeing the seeded directory.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const unit = demoIds.organisation(OCCUPATIONAL_HEALTH);
const suffix = Math.random().toString(36).slice(2, 8);

const serviceGlobalId = (slug: string, key: string) => toGlobalId('SignpostingService', demoIds.signpostingService(slug, key));
const policeAdmin: Caller = personas.police.admin;
const policeStaff: Caller = personas.police.staff;
const fireStaff: Caller = personas.fire.staff;
const unitAdviser: Caller = personas.occupationalHealth.adviser;
/** A caller of its own, so the audit events of its requests can be counted exactly. */
let callers = 0;
const uniqueCaller = (organisation: string): Caller => ({ organisation, roles: ['STAFF'], subject: `signposting-test-${suffix}-${++callers}` });

const DIRECTORY = `query($filter: SignpostingServicesFilter) {
  signpostingServices(filter: $filter) { id name category crisis acceptsReferrals active sharedWithUs owner { slug } }
}`;
const UPDATE = `mutation($input: UpdateSignpostingServiceInput!) {
  updateSignpostingService(input: $input) { service { id name active phone } }
}`;

interface Listed {
  id: string;
  name: string;
  category: string;
  crisis: boolean;
  sharedWithUs: boolean;
  active: boolean;
  owner: { slug: string };
}

async function directory(caller: Caller, filter?: Record<string, unknown>): Promise<Listed[]> {
  const response = await platform.graphql(caller, DIRECTORY, { filter });
  expect(response.errors).toBeUndefined();
  return response.data!.signpostingServices;
}

async function auditEvents(ownerTenantId: string, subject: string) {
  const { rows } = await asTenant(owner, ownerTenantId, () =>
    owner.query(
      `select action, entity_type, entity_id, actor_organisation_id, purpose, outcome, details from audit_event where tenant_id = $2 and actor_subject = $1`,
      [subject, ownerTenantId],
    ),
  );
  return rows;
}

describe('the directory as seeded', () => {
  it('shows police its own services and the unit’s shared ones, crisis lines first', async () => {
    const services = await directory(policeStaff);
    const ids = services.map((service) => service.id);
    for (const key of ['mind-blue-light', 'nhs-111-mh', 'emergency-999', 'police-welfare']) expect(ids).toContain(serviceGlobalId(POLICE, key));
    for (const key of ['oh-referral', 'oh-eap']) expect(ids).toContain(serviceGlobalId(OCCUPATIONAL_HEALTH, key));
    expect(services[0]).toMatchObject({ category: 'EMERGENCY', crisis: true });
    const ohReferral = services.find((service) => service.id === serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-referral'));
    expect(ohReferral).toMatchObject({ name: 'Occupational Health referral', acceptsReferrals: true, sharedWithUs: true, owner: { slug: OCCUPATIONAL_HEALTH } });
    const welfare = services.find((service) => service.id === serviceGlobalId(POLICE, 'police-welfare'));
    expect(welfare).toMatchObject({ sharedWithUs: false, owner: { slug: POLICE } });
  });

  it('shows fire its own and the unit’s, never police’s', async () => {
    const services = await directory(fireStaff);
    const owners = new Set(services.map((service) => service.owner.slug));
    expect(owners.has(POLICE)).toBe(false);
    expect(services.map((service) => service.id)).toEqual(
      expect.arrayContaining([serviceGlobalId(FIRE, 'firefighters-charity'), serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-referral'), serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-eap')]),
    );
  });

  it('shows the unit its own services, not shared, and nothing of police or fire', async () => {
    const services = await directory(unitAdviser);
    expect(services.every((service) => service.owner.slug === OCCUPATIONAL_HEALTH && !service.sharedWithUs)).toBe(true);
    expect(services.map((service) => service.id)).toEqual(expect.arrayContaining([serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-referral')]));
  });

  it('shows an organisation without agreements only its own (Southern Health has none)', async () => {
    expect(await directory(personas.southernHealth.clinician)).toEqual([]);
  });

  it('filters by category and to crisis services', async () => {
    const charities = await directory(policeStaff, { category: 'CHARITY' });
    expect(charities.length).toBeGreaterThan(0);
    expect(charities.every((service) => service.category === 'CHARITY')).toBe(true);
    const crisis = await directory(policeStaff, { crisisOnly: true });
    expect(crisis.every((service) => service.crisis)).toBe(true);
    expect(crisis.map((service) => service.id)).toEqual(
      expect.arrayContaining([serviceGlobalId(POLICE, 'emergency-999'), serviceGlobalId(POLICE, 'nhs-111-mh'), serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-eap')]),
    );
    expect(crisis.map((service) => service.id)).not.toContain(serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-referral'));
  });

  it('logs one read event in the unit’s log per request, naming every shared service read, with the agreement’s purpose', async () => {
    const caller = uniqueCaller(POLICE);
    await directory(caller);
    await directory(caller, { crisisOnly: true });
    const events = await auditEvents(unit, caller.subject!);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: 'SIGNPOSTING_SERVICES_READ',
      entity_type: 'SignpostingService',
      actor_organisation_id: police,
      outcome: 'ALLOWED',
      purpose: expect.stringContaining('signpost'),
    });
    const read = events.map((event) => (event.details.ids as string[]).sort());
    expect(read).toEqual(
      expect.arrayContaining([
        expect.arrayContaining([demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral'), demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-eap')]),
        [demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-eap')],
      ]),
    );
    // Its own services are not cross-tenant reads: nothing in its own log.
    expect(await auditEvents(police, caller.subject!)).toEqual([]);
  });

  it('reads a shared service by node(id:) and audits it; another organisation gets null', async () => {
    const caller = uniqueCaller(FIRE);
    const query = `query($id: ID!) { node(id: $id) { ... on SignpostingService { name sharedWithUs owner { slug } } } }`;
    const id = serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-eap');
    const shared = await platform.graphql(caller, query, { id });
    expect(shared.data!.node).toEqual({ name: 'Employee Assistance Programme', sharedWithUs: true, owner: { slug: OCCUPATIONAL_HEALTH } });
    expect(await auditEvents(unit, caller.subject!)).toMatchObject([{ action: 'SIGNPOSTING_SERVICES_READ', entity_id: demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-eap') }]);

    const policeOwn = await platform.graphql(caller, query, { id: serviceGlobalId(POLICE, 'police-welfare') });
    expect(policeOwn.data!.node).toBeNull();
    const stranger = await platform.graphql(personas.southernHealth.clinician, query, { id });
    expect(stranger.data!.node).toBeNull();
  });

  it('does not let police change the unit’s service: NOT_FOUND, and the row is unchanged', async () => {
    const id = serviceGlobalId(OCCUPATIONAL_HEALTH, 'oh-referral');
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id, name: 'Hijacked' } }), 'NOT_FOUND');
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id, active: false } }), 'NOT_FOUND');
    const { rows } = await asTenant(owner, unit, () => owner.query(`select name, active from signposting_service where id = $1`, [databaseIdOf(id)]));
    expect(rows).toEqual([{ name: 'Occupational Health referral', active: true }]);
  });

  it('does not let fire change police’s service either', async () => {
    expectError(
      await platform.graphql(personas.fire.admin, UPDATE, {
        input: { id: serviceGlobalId(POLICE, 'police-welfare'), name: 'Fire welfare' },
      }),
      'NOT_FOUND',
    );
  });
});

describe('keeping the directory', () => {
  const CREATE = `mutation($input: CreateSignpostingServiceInput!) {
    createSignpostingService(input: $input) { service { id name category description phone email website availability eligibility crisis acceptsReferrals active sharedWithUs owner { slug } } }
  }`;
  const base = () => ({ name: `Samaritans ${suffix}`, category: 'CHARITY' });

  it('lets a scheme admin add a service, audited in the organisation’s own log', async () => {
    const input = {
      ...base(),
      description: 'Round-the-clock listening. <b>Not</b> an emergency service; \'; drop table person; --',
      phone: '116 123',
      email: 'jo@samaritans.org',
      website: 'https://www.samaritans.org',
      availability: '24/7',
      eligibility: 'Anyone',
      crisis: true,
    };
    const response = await platform.graphql(policeAdmin, CREATE, { input });
    expect(response.errors).toBeUndefined();
    const service = response.data!.createSignpostingService.service;
    expect(service).toMatchObject({ ...input, acceptsReferrals: false, active: true, sharedWithUs: false, owner: { slug: POLICE } });
    const events = await asTenant(owner, police, () =>
      owner.query(`select action, details from audit_event where entity_id = $1`, [databaseIdOf(service.id)]),
    );
    expect(events.rows).toMatchObject([{ action: 'SIGNPOSTING_SERVICE_CREATED', details: { after: { name: input.name, crisis: true } } }]);
    // Police's own service is not shared with fire.
    expect((await directory(fireStaff)).map((listed) => listed.id)).not.toContain(service.id);
  });

  it('refuses staff and partner users (FORBIDDEN)', async () => {
    expectError(await platform.graphql(policeStaff, CREATE, { input: { ...base(), name: `Staff ${suffix}` } }), 'FORBIDDEN');
    expectError(await platform.graphql(unitAdviser, CREATE, { input: { ...base(), name: `Partner ${suffix}` } }), 'FORBIDDEN');
  });

  it.each([
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a description of 100 KB', { description: 'x'.repeat(100_000) }, 'description'],
    ['a NUL character', { description: 'nul \u0000 here' }, 'description'],
    ['a website that is not http(s)', { website: 'javascript:alert(1)' }, 'website'],
    ['letters in the phone number', { phone: 'call me' }, 'phone'],
    ['an email that is not one', { email: 'not-an-email' }, 'email'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, change, field) => {
    const name = `Malformed ${suffix} ${field}`;
    const response = await platform.graphql(policeAdmin, CREATE, { input: { ...base(), name, ...change } });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain(field);
  });

  it('refuses a name the directory already has', async () => {
    const name = `Duplicate ${suffix}`;
    await createService(platform, policeAdmin, { name, category: 'OTHER' });
    const error = expectError(await platform.graphql(policeAdmin, CREATE, { input: { name: name.toUpperCase(), category: 'OTHER' } }), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'name', message: 'Already used' }]);
  });

  it('updates and retires a service; retired services leave the directory but stay for includeInactive', async () => {
    const id = await createService(platform, policeAdmin, { name: `Retiring ${suffix}`, category: 'PEER_SUPPORT' });
    const changed = await platform.graphql(policeAdmin, UPDATE, { input: { id, phone: '023 8000 0000' } });
    expect(changed.data!.updateSignpostingService.service).toMatchObject({ phone: '023 8000 0000', active: true });
    const retired = await platform.graphql(policeAdmin, UPDATE, { input: { id, active: false } });
    expect(retired.data!.updateSignpostingService.service.active).toBe(false);

    expect((await directory(policeStaff)).map((service) => service.id)).not.toContain(id);
    const all = await directory(policeAdmin, { includeInactive: true });
    expect(all.find((service) => service.id === id)).toMatchObject({ active: false });
    const events = await asTenant(owner, police, () =>
      owner.query(`select action from audit_event where entity_id = $1 order by occurred_at`, [databaseIdOf(id)]),
    );
    expect(events.rows.map((row) => row.action)).toEqual(['SIGNPOSTING_SERVICE_CREATED', 'SIGNPOSTING_SERVICE_UPDATED', 'SIGNPOSTING_SERVICE_RETIRED']);
  });

  it('refuses an update that changes nothing, and a malformed id', async () => {
    const id = await createService(platform, policeAdmin, { name: `Unchanged ${suffix}`, category: 'OTHER' });
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id: toGlobalId('Person', demoIds.person(POLICE, 'hc-admin-1')), name: 'x' } }), 'BAD_USER_INPUT');
  });
});

describe('a partner’s directory follows its agreement on the next request', () => {
  let testUnit: TestUnit;
  let intake: string;
  let crisisLine: string;
  let directoryAgreement: { globalId: string; id: string; purpose: string };

  beforeAll(async () => {
    testUnit = await createTestUnit(owner, 'signposting');
    intake = await createService(platform, testUnit.admin, { name: 'Intake', category: 'OCCUPATIONAL_HEALTH', acceptsReferrals: true });
    crisisLine = await createService(platform, testUnit.admin, { name: 'Crisis line', category: 'EMPLOYEE_SUPPORT', crisis: true, availability: '24/7' });
  });

  const seenBy = async (caller: Caller) => (await directory(caller)).map((service) => service.id).filter((id) => id === intake || id === crisisLine).sort();

  it('hides the unit’s services from police until an agreement shares them', async () => {
    expect(await seenBy(policeStaff)).toEqual([]);
    directoryAgreement = await createAgreement(platform, testUnit.admin, police, [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }], 'Test directory sharing');
    expect(await seenBy(policeStaff)).toEqual([intake, crisisLine].sort());
    // Police's agreement says nothing about fire.
    expect(await seenBy(fireStaff)).toEqual([]);
    const caller = uniqueCaller(POLICE);
    await directory(caller);
    expect(await auditEvents(testUnit.id, caller.subject!)).toMatchObject([
      { action: 'SIGNPOSTING_SERVICES_READ', purpose: 'Test directory sharing', actor_organisation_id: police, details: { ids: expect.arrayContaining([databaseIdOf(intake), databaseIdOf(crisisLine)]) } },
    ]);
  });

  it('hides them once the agreement has expired, and shows them again when it is extended', async () => {
    await setAgreementEnd(owner, testUnit.id, directoryAgreement.id, '2026-01-01');
    expect(await seenBy(policeStaff)).toEqual([]);
    const node = await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { id } }`, { id: intake });
    expect(node.data!.node).toBeNull();
    await setAgreementEnd(owner, testUnit.id, directoryAgreement.id, null);
    expect(await seenBy(policeStaff)).toEqual([intake, crisisLine].sort());
  });

  it('stops showing a retired service to partners', async () => {
    await platform.graphql(testUnit.admin, UPDATE, { input: { id: crisisLine, active: false } });
    expect(await seenBy(policeStaff)).toEqual([intake]);
    expect((await directory(policeStaff, { includeInactive: true })).map((service) => service.id)).not.toContain(crisisLine);
    await platform.graphql(testUnit.admin, UPDATE, { input: { id: crisisLine, active: true } });
  });

  it('does not let police change the unit’s service while it is shared', async () => {
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { id: intake, name: 'Police intake' } }), 'NOT_FOUND');
  });

  it('hides them once the unit revokes the agreement', async () => {
    await revokeAgreement(platform, testUnit.admin, directoryAgreement.globalId);
    expect(await seenBy(policeStaff)).toEqual([]);
    expect(await seenBy(testUnit.adviser)).toEqual([intake, crisisLine].sort());
  });
});

it('shows fire every one of its own services and, of others’, only those shared with it (never police’s)', async () => {
  const fireServices = await directory(fireStaff);
  expect(fireServices.filter((service) => service.sharedWithUs).every((service) => service.owner.slug !== POLICE)).toBe(true);
  const { rows } = await asTenant(owner, fire, () => owner.query(`select count(*)::int as n from signposting_service where tenant_id = $1`, [fire]));
  expect(fireServices.filter((service) => !service.sharedWithUs)).toHaveLength(rows[0].n);
});
