import { addDays, ukDateOf } from '../src/platform/calendar';
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
import {
  createAgreement,
  createService,
  createTestScheme,
  createTestUnit,
  databaseIdOf,
  revokeAgreement,
  setAgreementEnd,
  type TestScheme,
  type TestUnit,
} from './support/partner-unit';

/*
 * Referrals to a partner's service, end to end through the API: a MILO of police or fire
 * refers a colleague to an occupational-health unit; the unit's partner users read and answer
 * it under the referring organisation's agreement; the referring side follows its status.
 *
 * Why a throwaway unit and schemes instead of the seeded ones: this file revokes, expires and
 * replaces agreements between police and the unit, and test files share one database while
 * running in parallel. Revoking the seeded hampshire-constabulary → hiow-occupational-health
 * agreement, even for a moment, would fail whatever another file (the support flow signposting
 * and referring to the seeded unit) runs in that moment. So the unit here is an organisation of
 * its own with the seeded unit's shape (its own intake service shared with police and fire,
 * and police's and fire's REFERRAL agreements with it); its requests live in schemes of their
 * own, so no seeded queue, caseload or demand figure moves. The seeded unit is still checked
 * read-only: it must not see this file's referrals.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const yesterday = addDays(ukDateOf(new Date()), -1);

let unit: TestUnit;
let intake: string;
let helpline: string;
let unitToPolice: { globalId: string; id: string; purpose: string };
let unitToFire: { globalId: string; id: string; purpose: string };
let policeToUnit: { globalId: string; id: string; purpose: string };
let fireToUnit: { globalId: string; id: string; purpose: string };

let policeScheme: TestScheme;
let fireScheme: TestScheme;
let policeMilo: Caller;
let otherPoliceMilo: Caller;
let policeLead: Caller;
let policeColleague: Caller;
let policeBystander: Caller;
let fireMilo: Caller;
let fireLead: Caller;
let fireColleague: Caller;
let policeRequest: string;
let otherPoliceRequest: string;
let closedPoliceRequest: string;
let fireRequest: string;

const policeAdmin: Caller = personas.police.admin;
const seededAdviser: Caller = personas.occupationalHealth.adviser;
const southernClinician: Caller = personas.southernHealth.clinician;

const REFER = `mutation($input: ReferToServiceInput!) {
  referToService(input: $input) {
    referral { id status serviceName urgency reason colleagueName contactDetails consentConfirmed receivedByUs
               referringOrganisation { slug } targetOrganisation { slug name } service { id name } }
  }
}`;
const RECEIVED = `query($first: Int, $after: String, $filter: ReferralsReceivedFilter) {
  referralsReceived(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status statusNote statusChangedAt urgency reason colleagueName contactDetails serviceName consentConfirmed createdAt receivedByUs
      referringOrganisation { slug name } targetOrganisation { slug } service { name owner { slug } }
    } }
  }
}`;
const UPDATE_STATUS = `mutation($input: UpdateReferralStatusInput!) {
  updateReferralStatus(input: $input) { referral { id status statusNote statusChangedAt } }
}`;
const ONE = `query($id: ID!) { referral(id: $id) { id status statusNote urgency reason colleagueName contactDetails receivedByUs } }`;
const REQUEST_REFERRALS = `query($id: ID!) {
  supportRequest(id: $id) { referrals { id status statusNote serviceName colleagueName reason targetOrganisation { slug } } }
}`;

const requestId = (id: string) => toGlobalId('SupportRequest', id);

function referInput(request: string, overrides: Record<string, unknown> = {}) {
  return {
    supportRequestId: requestId(request),
    serviceId: intake,
    urgency: 'SOON',
    reason: 'Struggling after a fatal collision; would like an occupational-health assessment.',
    consentConfirmed: true,
    ...overrides,
  };
}

async function refer(caller: Caller, request: string, overrides: Record<string, unknown> = {}) {
  return platform.graphql(caller, REFER, { input: referInput(request, overrides) });
}

async function received(caller: Caller, variables: Record<string, unknown> = { first: 100 }) {
  const response = await platform.graphql(caller, RECEIVED, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.referralsReceived.edges.map((edge: { node: Record<string, any> }) => edge.node);
}

async function referralRows(tenantId: string, supportRequestId: string) {
  const { rows } = await asTenant(owner, tenantId, () =>
    owner.query(`select id, status, colleague_name, reason from referral where support_request_id = $1 order by created_at`, [supportRequestId]),
  );
  return rows;
}

async function auditEvents(ownerTenantId: string, where: { subject?: string; action?: string; entityId?: string }) {
  const { rows } = await asTenant(owner, ownerTenantId, () =>
    owner.query(
      `select action, entity_type, entity_id, actor_organisation_id, actor_subject, purpose, outcome, details
         from audit_event
        where ($1::text is null or actor_subject = $1) and ($2::text is null or action = $2) and ($3::uuid is null or entity_id = $3)
        order by occurred_at, id`,
      [where.subject ?? null, where.action ?? null, where.entityId ?? null],
    ),
  );
  return rows;
}

beforeAll(async () => {

  unit = await createTestUnit(owner, 'referrals');
  intake = await createService(platform, unit.admin, { name: 'Occupational health intake', category: 'OCCUPATIONAL_HEALTH', acceptsReferrals: true });
  helpline = await createService(platform, unit.admin, { name: 'Helpline', category: 'EMPLOYEE_SUPPORT', crisis: true });
  unitToPolice = await createAgreement(platform, unit.admin, police, [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }], 'Directory for police');
  unitToFire = await createAgreement(platform, unit.admin, fire, [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }], 'Directory for fire');
  // Police sends the minimum (urgency and reason); fire also the colleague's name and contact details.
  policeToUnit = await createAgreement(
    platform,
    policeAdmin,
    unit.id,
    [{ resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['urgency', 'reason'] }],
    'Police referrals to the test unit',
  );
  fireToUnit = await createAgreement(
    platform,
    personas.fire.admin,
    unit.id,
    [{ resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['urgency', 'reason', 'colleagueName', 'contactDetails'] }],
    'Fire referrals to the test unit',
  );

  policeScheme = await createTestScheme(owner, police, POLICE, 'referrals-police');
  fireScheme = await createTestScheme(owner, fire, FIRE, 'referrals-fire');
  const milo = await policeScheme.addMilo('milo');
  const otherMilo = await policeScheme.addMilo('other-milo');
  policeLead = (await policeScheme.addMilo('lead', 'LEAD_MILO')).caller;
  const colleague = await policeScheme.addPerson('colleague');
  policeBystander = (await policeScheme.addPerson('bystander')).caller;
  policeMilo = milo.caller;
  otherPoliceMilo = otherMilo.caller;
  policeColleague = colleague.caller;
  policeRequest = await policeScheme.addRequest({ requesterId: colleague.id, miloId: milo.id });
  otherPoliceRequest = await policeScheme.addRequest({ requesterId: colleague.id, miloId: otherMilo.id });
  closedPoliceRequest = await policeScheme.addRequest({ requesterId: colleague.id, miloId: milo.id, closed: true });

  const fireMember = await fireScheme.addMilo('milo');
  fireLead = (await fireScheme.addMilo('lead', 'LEAD_MILO')).caller;
  const fireRequester = await fireScheme.addPerson('colleague');
  fireMilo = fireMember.caller;
  fireColleague = fireRequester.caller;
  // The fire colleague asked anonymously: only they and the assigned MILO know who it is.
  fireRequest = await fireScheme.addRequest({ requesterId: fireRequester.id, miloId: fireMember.id, anonymous: true });
});

let policeReferral: string;
let fireReferral: string;

describe('referring a colleague', () => {
  it('lets the assigned MILO refer, with the minimum the agreement allows', async () => {
    const response = await refer(policeMilo, policeRequest);
    expect(response.errors).toBeUndefined();
    const referral = response.data!.referToService.referral;
    expect(referral).toMatchObject({
      status: 'SENT',
      serviceName: 'Occupational health intake',
      urgency: 'SOON',
      reason: referInput(policeRequest).reason,
      colleagueName: null,
      contactDetails: null,
      consentConfirmed: true,
      receivedByUs: false,
      referringOrganisation: { slug: POLICE },
      targetOrganisation: { slug: unit.slug, name: unit.name },
      service: { id: intake, name: 'Occupational health intake' },
    });
    policeReferral = referral.id;
  });

  it('logs REFERRAL_SENT in the referring organisation’s own log, naming the fields sent but not what they said', async () => {
    const [event] = await auditEvents(police, { action: 'REFERRAL_SENT', entityId: databaseIdOf(policeReferral) });
    expect(event).toMatchObject({
      entity_type: 'Referral',
      actor_organisation_id: police,
      actor_subject: policeMilo.subject,
      outcome: 'ALLOWED',
      purpose: 'Police referrals to the test unit',
      details: {
        supportRequestId: policeRequest,
        targetOrganisationId: unit.id,
        serviceId: databaseIdOf(intake),
        agreementId: policeToUnit.id,
        fieldsSent: ['urgency', 'reason'],
      },
    });
    expect(JSON.stringify(event.details)).not.toContain('fatal collision');
    // Reading the unit's service to refer to it is a cross-tenant read, logged in the unit's log.
    const reads = await auditEvents(unit.id, { subject: policeMilo.subject, action: 'SIGNPOSTING_SERVICES_READ' });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]).toMatchObject({ actor_organisation_id: police, purpose: 'Directory for police' });
  });

  it('refuses fields outside the agreement’s field scope, naming each, and sends nothing', async () => {
    const response = await refer(policeMilo, policeRequest, { colleagueName: 'Sam Example', contactDetails: '07700 900123' });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.message).toContain('colleagueName, contactDetails');
    expect(error.extensions.problems).toEqual([
      { field: 'colleagueName', message: "Outside the agreement's field scope: leave it out" },
      { field: 'contactDetails', message: "Outside the agreement's field scope: leave it out" },
    ]);
    expect(await referralRows(police, policeRequest)).toHaveLength(1);
  });

  it('refuses without the colleague’s consent', async () => {
    const error = expectError(await refer(policeMilo, policeRequest, { consentConfirmed: false }), 'BAD_USER_INPUT');
    expect(JSON.stringify(error.extensions.problems)).toContain('consentConfirmed');
    expect(await referralRows(police, policeRequest)).toHaveLength(1);
  });

  it('refuses over-long and NUL free text', async () => {
    expectError(await refer(policeMilo, policeRequest, { reason: 'x'.repeat(2001) }), 'BAD_USER_INPUT');
    expectError(await refer(policeMilo, policeRequest, { reason: 'a\u0000b' }), 'BAD_USER_INPUT');
  });

  it('refuses anyone but the MILO assigned to the request: another MILO, the Lead, the colleague (FORBIDDEN)', async () => {
    for (const caller of [otherPoliceMilo, policeLead, policeColleague]) {
      expectError(await refer(caller, policeRequest), 'FORBIDDEN');
    }
    expect(await referralRows(police, policeRequest)).toHaveLength(1);
  });

  it('treats another organisation’s request as not found', async () => {
    expectError(await refer(fireMilo, policeRequest), 'NOT_FOUND');
  });

  it('refuses a closed request', async () => {
    expectError(await refer(policeMilo, closedPoliceRequest), 'CONFLICT');
  });

  it('refuses a service that does not take referrals, and the organisation’s own services', async () => {
    const notReferrals = expectError(await refer(policeMilo, policeRequest, { serviceId: helpline }), 'BAD_USER_INPUT');
    expect(notReferrals.extensions.problems).toEqual([{ field: 'serviceId', message: 'Does not accept referrals' }]);
    const own = toGlobalId('SignpostingService', demoIds.signpostingService(POLICE, 'police-welfare'));
    expectError(await refer(policeMilo, policeRequest, { serviceId: own }), 'BAD_USER_INPUT');
  });

  it('treats a service not shared with the organisation as not found', async () => {
    // The seeded unit shares with police; a second test unit shares with nobody.
    const stranger = await createTestUnit(owner, 'unshared');
    const hidden = await createService(platform, stranger.admin, { name: 'Hidden intake', category: 'OCCUPATIONAL_HEALTH', acceptsReferrals: true });
    expectError(await refer(policeMilo, policeRequest, { serviceId: hidden }), 'NOT_FOUND');
  });

  it('refuses with FORBIDDEN when no agreement in force allows referrals to the service’s owner, and logs the refusal', async () => {
    const other = await createTestUnit(owner, 'no-referral-agreement');
    const shared = await createService(platform, other.admin, { name: 'Shared intake', category: 'OCCUPATIONAL_HEALTH', acceptsReferrals: true });
    await createAgreement(platform, other.admin, police, [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }]);
    const error = expectError(await refer(policeMilo, otherPoliceRequest, { serviceId: shared }), 'FORBIDDEN');
    // Not this request's MILO: the assigned-MILO check comes first.
    expect(error.message).not.toContain('agreement');
    const refused = expectError(await refer(otherPoliceMilo, otherPoliceRequest, { serviceId: shared }), 'FORBIDDEN');
    expect(refused.message).toBe(`No data sharing agreement in force with ${other.name} allows referrals`);
    expect(await referralRows(police, otherPoliceRequest)).toHaveLength(0);
    const denials = await auditEvents(police, { subject: otherPoliceMilo.subject, action: 'REFERRAL_REFUSED' });
    expect(denials).toMatchObject([{ outcome: 'DENIED', entity_id: otherPoliceRequest, details: { targetOrganisationId: other.id, reason: 'NO_AGREEMENT_IN_FORCE' } }]);
  });

  it('lets fire’s MILO send the colleague’s name and contact details, which fire’s agreement allows', async () => {
    const response = await refer(fireMilo, fireRequest, { colleagueName: 'Alex Example', contactDetails: 'alex@example.org, after 4pm', urgency: 'URGENT' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.referToService.referral).toMatchObject({ colleagueName: 'Alex Example', contactDetails: 'alex@example.org, after 4pm', urgency: 'URGENT' });
    fireReferral = response.data!.referToService.referral.id;
  });
});

describe('the receiving unit', () => {
  it('sees referrals from police and fire, each with only the fields its sender’s agreement gives', async () => {
    const nodes = await received(unit.adviser);
    const fromPolice = nodes.find((node: { id: string }) => node.id === policeReferral);
    const fromFire = nodes.find((node: { id: string }) => node.id === fireReferral);
    expect(fromPolice).toMatchObject({
      status: 'SENT',
      urgency: 'SOON',
      reason: referInput(policeRequest).reason,
      colleagueName: null,
      contactDetails: null,
      receivedByUs: true,
      referringOrganisation: { slug: POLICE },
      targetOrganisation: { slug: unit.slug },
      service: { name: 'Occupational health intake', owner: { slug: unit.slug } },
    });
    expect(fromFire).toMatchObject({ urgency: 'URGENT', colleagueName: 'Alex Example', contactDetails: 'alex@example.org, after 4pm', referringOrganisation: { slug: FIRE } });
    expect(nodes.every((node: { targetOrganisation: { slug: string } }) => node.targetOrganisation.slug === unit.slug)).toBe(true);
  });

  it('logs each request’s reads in each sender’s log: one REFERRAL_READ per sender, with the agreement’s purpose', async () => {
    const before = await auditEvents(police, { subject: unit.adviser.subject, action: 'REFERRAL_READ' });
    await received(unit.adviser);
    const policeEvents = (await auditEvents(police, { subject: unit.adviser.subject, action: 'REFERRAL_READ' })).slice(before.length);
    expect(policeEvents).toHaveLength(1);
    expect(policeEvents[0]).toMatchObject({ actor_organisation_id: unit.id, outcome: 'ALLOWED', purpose: 'Police referrals to the test unit', entity_type: 'Referral' });
    expect(policeEvents[0].details.ids).toContain(databaseIdOf(policeReferral));
    const fireEvents = await auditEvents(fire, { subject: unit.adviser.subject, action: 'REFERRAL_READ' });
    expect(fireEvents.at(-1)).toMatchObject({ purpose: 'Fire referrals to the test unit', details: { ids: [databaseIdOf(fireReferral)] } });
  });

  it('filters by status and pages with cursors', async () => {
    const sent = await received(unit.adviser, { first: 100, filter: { status: 'SENT' } });
    expect(sent.every((node: { status: string }) => node.status === 'SENT')).toBe(true);
    const first = await platform.graphql(unit.adviser, RECEIVED, { first: 1 });
    expect(first.data!.referralsReceived.pageInfo.hasNextPage).toBe(true);
    const second = await platform.graphql(unit.adviser, RECEIVED, { first: 1, after: first.data!.referralsReceived.pageInfo.endCursor });
    expect(second.data!.referralsReceived.edges[0].node.id).not.toBe(first.data!.referralsReceived.edges[0].node.id);
  });

  it('reads one referral by referral(id:) and node(id:), and logs the read', async () => {
    const one = await platform.graphql(unit.adviser, ONE, { id: policeReferral });
    expect(one.data!.referral).toMatchObject({ id: policeReferral, colleagueName: null, receivedByUs: true });
    const node = await platform.graphql(unit.adviser, `query($id: ID!) { node(id: $id) { ... on Referral { id reason } } }`, { id: fireReferral });
    expect(node.data!.node).toMatchObject({ id: fireReferral, reason: referInput(fireRequest).reason });
  });

  it('is for the unit’s partner users: its scheme admin without PARTNER is FORBIDDEN', async () => {
    expectError(await platform.graphql(unit.admin, RECEIVED, { first: 10 }), 'FORBIDDEN');
  });

  it('shows nothing to an organisation the referrals were not sent to, the seeded unit included', async () => {
    for (const caller of [southernClinician, seededAdviser]) {
      const ids = (await received(caller)).map((node: { id: string }) => node.id);
      expect(ids).not.toContain(policeReferral);
      expect(ids).not.toContain(fireReferral);
      expect((await platform.graphql(caller, ONE, { id: policeReferral })).data!.referral).toBeNull();
      expectError(await platform.graphql(caller, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'ACCEPTED' } }), 'NOT_FOUND');
    }
  });

  it('moves a referral forward; the referring MILO sees the status and note; the change is logged in the sender’s log', async () => {
    const response = await platform.graphql(unit.adviser, UPDATE_STATUS, {
      input: { referralId: policeReferral, status: 'ACCEPTED', note: 'Appointment offered for next Tuesday.' },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateReferralStatus.referral).toMatchObject({ status: 'ACCEPTED', statusNote: 'Appointment offered for next Tuesday.' });

    const followed = await platform.graphql(policeMilo, REQUEST_REFERRALS, { id: requestId(policeRequest) });
    expect(followed.errors).toBeUndefined();
    expect(followed.data!.supportRequest.referrals).toEqual([
      {
        id: policeReferral,
        status: 'ACCEPTED',
        statusNote: 'Appointment offered for next Tuesday.',
        serviceName: 'Occupational health intake',
        colleagueName: null,
        reason: referInput(policeRequest).reason,
        targetOrganisation: { slug: unit.slug },
      },
    ]);
    const [event] = await auditEvents(police, { action: 'REFERRAL_STATUS_CHANGED', entityId: databaseIdOf(policeReferral) });
    expect(event).toMatchObject({
      actor_organisation_id: unit.id,
      actor_subject: unit.adviser.subject,
      outcome: 'ALLOWED',
      purpose: 'Police referrals to the test unit',
      details: { from: 'SENT', to: 'ACCEPTED', agreementId: policeToUnit.id, withNote: true },
    });
  });

  it('moves only forward', async () => {
    const back = await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'SENT' } });
    expectError(back, 'BAD_USER_INPUT');
    const completed = await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: fireReferral, status: 'COMPLETED' } });
    const error = expectError(completed, 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'status', message: 'Allowed: ACCEPTED, DECLINED' }]);
    await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: fireReferral, status: 'DECLINED', note: 'Better served by the Fire Fighters Charity' } });
    expectError(await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: fireReferral, status: 'ACCEPTED' } }), 'BAD_USER_INPUT');
    expect((await referralRows(fire, fireRequest)).map((row) => row.status)).toEqual(['DECLINED']);
  });

  it('does not let the referring side move the status (no PARTNER: FORBIDDEN; its own referral is not received: NOT_FOUND)', async () => {
    expectError(await platform.graphql(policeMilo, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'COMPLETED' } }), 'FORBIDDEN');
    // Roles come from the platform's records (a token's roles only narrow them): record PARTNER for this police MILO.
    await asTenant(owner, police, () =>
      owner.query(`insert into role_assignment (tenant_id, person_id, role) select tenant_id, id, 'PARTNER' from person where tenant_id = $1 and subject = $2`, [police, policeMilo.subject]),
    );
    const policePartner: Caller = { organisation: POLICE, roles: ['PARTNER'], subject: policeMilo.subject };
    expectError(await platform.graphql(policePartner, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'COMPLETED' } }), 'NOT_FOUND');
  });
});

describe('following a referral on the referring side', () => {
  it('shows the colleague their referral, and the scheme’s Lead', async () => {
    for (const caller of [policeColleague, policeLead]) {
      const response = await platform.graphql(caller, ONE, { id: policeReferral });
      expect(response.errors).toBeUndefined();
      expect(response.data!.referral).toMatchObject({ status: 'ACCEPTED', receivedByUs: false });
    }
  });

  it('keeps an anonymous colleague’s name from the Lead, while the assigned MILO and the colleague see it', async () => {
    const lead = await platform.graphql(fireLead, ONE, { id: fireReferral });
    expect(lead.data!.referral).toMatchObject({ colleagueName: null, contactDetails: null, status: 'DECLINED' });
    for (const caller of [fireMilo, fireColleague]) {
      const response = await platform.graphql(caller, ONE, { id: fireReferral });
      expect(response.data!.referral).toMatchObject({ colleagueName: 'Alex Example', statusNote: 'Better served by the Fire Fighters Charity' });
    }
  });

  it('hides the reason on read once the scheme’s retention has run from the request’s closing, keeping the rest', async () => {
    const colleague = await policeScheme.addPerson('retained');
    const milo = await policeScheme.addMilo('retained-milo');
    const old = await policeScheme.addRequest({ requesterId: colleague.id, miloId: milo.id, closedAt: new Date('2024-01-10T10:00:00Z') });
    const { rows } = await asTenant(owner, police, () =>
      owner.query(
        `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency, consent_confirmed, reason, status)
         values ($1, $2, $3, $4, $5, 'Occupational health intake', $6, 'ROUTINE', true, 'An old reason', 'COMPLETED') returning id`,
        [police, old, policeToUnit.id, unit.id, databaseIdOf(intake), milo.personId],
      ),
    );
    const response = await platform.graphql(milo.caller, ONE, { id: toGlobalId('Referral', rows[0].id) });
    expect(response.errors).toBeUndefined();
    expect(response.data!.referral).toMatchObject({ status: 'COMPLETED', urgency: 'ROUTINE', reason: null });
  });

  it('refuses other members of the organisation (FORBIDDEN), and other organisations get null', async () => {
    expectError(await platform.graphql(policeBystander, ONE, { id: policeReferral }), 'FORBIDDEN');
    expectError(await platform.graphql(policeAdmin, ONE, { id: policeReferral }), 'FORBIDDEN');
    expect((await platform.graphql(fireMilo, ONE, { id: policeReferral })).data!.referral).toBeNull();
  });
});

describe('revocation and expiry take effect on the next request', () => {
  it('revoking police’s agreement: the unit loses police’s referrals but keeps fire’s; updates are NOT_FOUND; new referrals FORBIDDEN', async () => {
    await revokeAgreement(platform, policeAdmin, policeToUnit.globalId);

    const ids = (await received(unit.adviser)).map((node: { id: string }) => node.id);
    expect(ids).not.toContain(policeReferral);
    expect(ids).toContain(fireReferral);
    expect((await platform.graphql(unit.adviser, ONE, { id: policeReferral })).data!.referral).toBeNull();
    expectError(await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'COMPLETED' } }), 'NOT_FOUND');

    const refused = expectError(await refer(policeMilo, policeRequest), 'FORBIDDEN');
    expect(refused.message).toBe(`No data sharing agreement in force with ${unit.name} allows referrals`);
    // Police keeps its own record and the last status the unit gave.
    const followed = await platform.graphql(policeMilo, REQUEST_REFERRALS, { id: requestId(policeRequest) });
    expect(followed.data!.supportRequest.referrals).toMatchObject([{ id: policeReferral, status: 'ACCEPTED' }]);
    // Fire is unaffected by police's agreement.
    const fireAgain = await refer(fireMilo, fireRequest, { reason: 'Second referral after a further incident' });
    expect(fireAgain.errors).toBeUndefined();
  });

  it('a READ-only agreement lets the unit read police’s referrals but not answer them (FORBIDDEN, logged as denied)', async () => {
    await createAgreement(platform, policeAdmin, unit.id, [{ resource: 'REFERRAL', actions: ['READ'] }], 'Police referrals, read only');
    expect((await received(unit.adviser)).map((node: { id: string }) => node.id)).toContain(policeReferral);
    const denied = expectError(
      await platform.graphql(unit.adviser, UPDATE_STATUS, { input: { referralId: policeReferral, status: 'COMPLETED' } }),
      'FORBIDDEN',
    );
    expect(denied.message).toContain('not update');
    expect((await referralRows(police, policeRequest))[0].status).toBe('ACCEPTED');
    // Other partners' refused attempts on the same referral are in police's log too: this one's.
    const denials = await auditEvents(police, { action: 'REFERRAL_STATUS_CHANGE_REFUSED', entityId: databaseIdOf(policeReferral), subject: unit.adviser.subject });
    expect(denials).toMatchObject([{ outcome: 'DENIED', actor_organisation_id: unit.id }]);

    // READ suffices to send; the new rule names no fields, so the minimum (urgency, reason) applies.
    const again = await refer(policeMilo, policeRequest, { reason: 'Re-referral under the new agreement' });
    expect(again.errors).toBeUndefined();
    expectError(await refer(policeMilo, policeRequest, { colleagueName: 'Sam Example' }), 'BAD_USER_INPUT');
  });

  it('expiring the unit’s directory agreement with police hides its services from police and stops referrals to them; fire is unaffected', async () => {
    await setAgreementEnd(owner, unit.id, unitToPolice.id, yesterday);
    const policeDirectory = await platform.graphql(policeMilo, `{ signpostingServices { id } }`);
    expect(policeDirectory.data!.signpostingServices.map((service: { id: string }) => service.id)).not.toContain(intake);
    expectError(await refer(policeMilo, policeRequest), 'NOT_FOUND');

    const fireDirectory = await platform.graphql(fireMilo, `{ signpostingServices { id } }`);
    expect(fireDirectory.data!.signpostingServices.map((service: { id: string }) => service.id)).toContain(intake);
    expect((await refer(fireMilo, fireRequest, { reason: 'Third referral' })).errors).toBeUndefined();

    // Police's existing referral still names the service it went to, though the service is no longer shared.
    const followed = await platform.graphql(policeMilo, `query($id: ID!) { referral(id: $id) { serviceName } }`, { id: policeReferral });
    expect(followed.data!.referral).toEqual({ serviceName: 'Occupational health intake' });
    await setAgreementEnd(owner, unit.id, unitToPolice.id, null);
    expect((await refer(policeMilo, policeRequest, { reason: 'Once more' })).errors).toBeUndefined();
  });

  it('revoking the unit’s directory agreement with police does the same', async () => {
    await revokeAgreement(platform, unit.admin, unitToPolice.globalId);
    expectError(await refer(policeMilo, policeRequest), 'NOT_FOUND');
    const fireDirectory = await platform.graphql(fireMilo, `{ signpostingServices { id } }`);
    expect(fireDirectory.data!.signpostingServices.map((service: { id: string }) => service.id)).toContain(intake);
    expect(unitToFire.purpose).toBe('Directory for fire');
  });
});

describe('statement counts', () => {
  it('lists 5 and 30 received referrals, with every field, in the same number of statements', async () => {
    const target = await createTestUnit(owner, 'statements');
    const service = await createService(platform, target.admin, { name: 'Counted intake', category: 'OCCUPATIONAL_HEALTH', acceptsReferrals: true });
    const fromPolice = await createAgreement(platform, policeAdmin, target.id, [{ resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['urgency', 'reason'] }]);
    const fromFire = await createAgreement(
      platform,
      personas.fire.admin,
      target.id,
      [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['urgency', 'reason', 'colleagueName'] }],
    );
    const milo = (await policeScheme.addMilo('counted-milo')).id;
    const fireMember = (await fireScheme.addMilo('counted-milo')).id;
    const senders = [
      { scheme: policeScheme, agreement: fromPolice.id, milo },
      { scheme: fireScheme, agreement: fromFire.id, milo: fireMember },
    ];

    let fromPoliceCount = 0;
    async function addReferrals(count: number) {
      for (let index = 0; index < count; index += 1) {
        const sender = senders[index % 2];
        if (sender.scheme === policeScheme) fromPoliceCount += 1;
        const colleague = await sender.scheme.addPerson(`counted-${Math.random().toString(36).slice(2, 8)}`);
        const request = await sender.scheme.addRequest({ requesterId: colleague.id, miloId: sender.milo });
        await asTenant(owner, sender.scheme.tenantId, () =>
          owner.query(
            `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency,
                                   consent_confirmed, colleague_name, reason, status)
             values ($1, $2, $3, $4, $5, 'Counted intake', $6, 'ROUTINE', true, 'Counted colleague', 'Counted reason', 'SENT')`,
            [sender.scheme.tenantId, request, sender.agreement, target.id, databaseIdOf(service), colleague.id],
          ),
        );
      }
    }

    const measure = async (expected: number) => {
      const response = await platform.graphql(target.adviser, RECEIVED, { first: 50 });
      expect(response.errors).toBeUndefined();
      expect(response.data!.referralsReceived.edges).toHaveLength(expected);
      expect(response.data!.referralsReceived.totalCount).toBe(expected);
      return response.statements as number;
    };

    await addReferrals(5);
    const five = await measure(5);
    await addReferrals(25);
    const thirty = await measure(30);
    expect(thirty).toBe(five);
    expect(five).toBeLessThanOrEqual(12);
    process.stdout.write(`referralsReceived(first: 50): 5 referrals = ${five} statements, 30 referrals = ${thirty} statements\n`);
    // And the reads of the 30 were logged as one event per sender.
    const events = await auditEvents(police, { subject: target.adviser.subject, action: 'REFERRAL_READ' });
    expect((events.at(-1)!.details.ids as string[]).length).toBe(fromPoliceCount);
  });
});
