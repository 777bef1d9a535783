import { seedLargeOrganisation } from '../seeds';
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

/*
 * Support requests through the API as the seeded people: a colleague asks, a Lead MILO
 * triages and assigns, the MILO logs contacts (signposting to the shared occupational-health
 * unit) and closes. Requests are created by this file; the MILOs whose caseload counts matter
 * are arranged here, so other files working in the same scheme do not disturb the numbers.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const occupationalHealth = demoIds.organisation(OCCUPATIONAL_HEALTH);
const policeSchemeId = demoIds.scheme(POLICE);
const schemeId = toGlobalId('Scheme', policeSchemeId);
const today = ukDateOf(new Date());
const suffix = Math.random().toString(36).slice(2, 8);

const person = (subject: string, organisation = POLICE): Caller => ({ organisation, roles: ['STAFF'], subject });
const staff1 = person('hc-staff-1');
const staff3 = person('hc-staff-3');
const staff4 = person('hc-staff-4');
const lead = person('hc-lead-01');
const otherLead = person('hc-lead-02');
const milo = person('hc-milo-23');
const otherMilo = person('hc-milo-24');
const policeAdmin: Caller = personas.police.admin;
const fireLead = person('hfrs-lead-01', FIRE);
const fireMilo = person('hfrs-milo-02', FIRE);
const fireStaff: Caller = personas.fire.staff;

const miloId = (subject: string, organisation = POLICE) => toGlobalId('Milo', demoIds.milo(organisation, subject));
const serviceId = (slug: string, key: string) => toGlobalId('SignpostingService', demoIds.signpostingService(slug, key));
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const arrange = <T>(work: () => Promise<T>) => asTenant(owner, police, work);

const REQUEST_FIELDS = `id status urgency anonymous immediateRisk preferredArea summary waitingHours waitingBeyondTarget
  assignedAt closedAt closureOutcomeCode freeTextRemovedAt requester { displayName } referredBy { displayName }`;

const ASK = `mutation($input: AskForSupportInput!) {
  askForSupport(input: $input) {
    supportRequest { ${REQUEST_FIELDS} }
    crisisSignposting { notice guidance services { id name category crisis owner { slug } sharedWithUs } }
  }
}`;

const ASSIGN = `mutation($input: AssignSupportRequestInput!) {
  assignSupportRequest(input: $input) {
    supportRequest { id status assignedMilo { id } assignedAt }
    assignment { assignedAt overrideReason milo { id } assignedBy { displayName } }
    overridden
  }
}`;

const LOG = `mutation($input: LogSupportContactInput!) {
  logSupportContact(input: $input) {
    contact { id contactOn minutes themeCodes outcomeCode note signposting { serviceName serviceId serviceOrganisation { slug } } }
    supportRequest { id status }
  }
}`;

const CLOSE = `mutation($input: CloseSupportRequestInput!) {
  closeSupportRequest(input: $input) { supportRequest { id status closedAt closureOutcomeCode } }
}`;

const READ = `query($id: ID!) {
  supportRequest(id: $id) {
    ${REQUEST_FIELDS}
    contacts { id minutes themeCodes outcomeCode note loggedBy { id } signposting { serviceName } }
  }
}`;

async function ask(caller: Caller, input: Record<string, unknown> = {}) {
  const response = await platform.graphql(caller, ASK, { input: { schemeId, urgency: 'ROUTINE', summary: 'Struggling after a difficult job', ...input } });
  expect(response.errors).toBeUndefined();
  return response.data!.askForSupport;
}

async function askId(caller: Caller = staff1, input: Record<string, unknown> = {}): Promise<string> {
  return (await ask(caller, input)).supportRequest.id;
}

function assign(caller: Caller, requestId: string, milo: string, overrideReason?: string) {
  return platform.graphql(caller, ASSIGN, { input: { requestId, miloId: milo, overrideReason } });
}

function logContact(caller: Caller, requestId: string, input: Record<string, unknown> = {}) {
  return platform.graphql(caller, LOG, {
    input: { requestId, contactOn: today, minutes: 45, themeCodes: ['WORK_STRESS'], outcomeCode: 'SUPPORT_GIVEN', ...input },
  });
}

/** The stored row and its assignment count, read behind the API's back. */
async function stored(requestGlobalId: string) {
  const id = dbId(requestGlobalId);
  const { rows } = await arrange(() =>
    owner.query(
      `select status, assigned_milo_id, assigned_at, updated_at,
              (select count(*)::int from support_assignment a where a.tenant_id = r.tenant_id and a.support_request_id = r.id) as assignments,
              (select count(*)::int from support_contact c where c.tenant_id = r.tenant_id and c.support_request_id = r.id) as contacts
         from support_request r where tenant_id = $1 and id = $2`,
      [police, id],
    ),
  );
  return rows[0];
}

async function auditActions(requestGlobalId: string): Promise<Array<{ action: string; details: any }>> {
  const { rows } = await arrange(() =>
    owner.query(`select action, details from audit_event where tenant_id = $1 and entity_id = $2 order by occurred_at, action`, [police, dbId(requestGlobalId)]),
  );
  return rows;
}

/** Every WAITING request of the scheme, paging through the Lead's queue. */
async function queue(caller: Caller = lead): Promise<Array<{ id: string; urgency: string; waitingHours: number; waitingBeyondTarget: boolean }>> {
  const items = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const response: any = await platform.graphql(
      caller,
      `query($schemeId: ID!, $after: String) { supportQueue(schemeId: $schemeId, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { id urgency waitingHours waitingBeyondTarget } } } }`,
      { schemeId, after },
    );
    expect(response.errors).toBeUndefined();
    items.push(...response.data.supportQueue.edges.map((edge: any) => edge.node));
    if (!response.data.supportQueue.pageInfo.hasNextPage) return items;
    after = response.data.supportQueue.pageInfo.endCursor;
  }
  throw new Error('queue too long');
}

let arrangedPeople = 0;
/** A police person with hc-milo-02's (in-date) training, enrolled as an ACTIVE MILO of the scheme. */
async function arrangeActiveMilo(capacity: number): Promise<{ caller: Caller; miloId: string }> {
  arrangedPeople += 1;
  const subject = `support-test-${suffix}-${arrangedPeople}`;
  const id = await arrange(async () => {
    const personRow = await owner.query(
      `insert into person (tenant_id, subject, display_name, work_email, employment_type, area)
       values ($1, $2, $3, $4, 'POLICE_OFFICER', 'Southampton') returning id`,
      [police, subject, `Support Test ${suffix} ${arrangedPeople}`, `${subject}@hampshire.police.uk`],
    );
    const personId = personRow.rows[0].id;
    await owner.query(
      `insert into training_record (tenant_id, person_id, module_id, completed_on)
       select tenant_id, $2, module_id, completed_on from training_record where tenant_id = $1 and person_id = $3`,
      [police, personId, demoIds.person(POLICE, 'hc-milo-02')],
    );
    const miloRow = await owner.query(
      `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, capacity)
       values ($1, $2, $3, 'MILO', 'ACTIVE', $4, 'Southampton', $5) returning id`,
      [police, policeSchemeId, personId, today, capacity],
    );
    await owner.query(
      `insert into milo_status_change (tenant_id, milo_id, from_status, to_status, effective_on, reason, changed_at)
       values ($1, $2, 'IN_TRAINING', 'ACTIVE', $3, 'Arranged by the test', now())`,
      [police, miloRow.rows[0].id, today],
    );
    return miloRow.rows[0].id as string;
  });
  return { caller: person(subject), miloId: toGlobalId('Milo', id) };
}

describe('the support flow, end to end', () => {
  it('a colleague asks, a Lead assigns from the queue, the MILO logs a contact signposting the shared unit, then closes', async () => {
    const asked = await ask(staff1, { urgency: 'SOON', preferredArea: 'Southampton', summary: 'Finding nights hard since the crash on the M27' });
    const request = asked.supportRequest;
    expect(request).toMatchObject({ status: 'WAITING', urgency: 'SOON', anonymous: false, immediateRisk: false, preferredArea: 'Southampton', waitingHours: 0 });
    expect(request.requester.displayName).toBeTruthy();
    expect(asked.crisisSignposting).toBeNull();

    // The Lead's queue has it, with its wait against the scheme's 72-hour target.
    const waiting = (await queue()).find((item) => item.id === request.id);
    expect(waiting).toMatchObject({ urgency: 'SOON', waitingHours: 0, waitingBeyondTarget: false });

    const assigned = await assign(lead, request.id, miloId('hc-milo-23'));
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignSupportRequest).toMatchObject({
      supportRequest: { id: request.id, status: 'ASSIGNED', assignedMilo: { id: miloId('hc-milo-23') } },
      assignment: { overrideReason: null, milo: { id: miloId('hc-milo-23') } },
      overridden: [],
    });
    expect((await queue()).some((item) => item.id === request.id)).toBe(false);

    // The MILO's caseload shows it.
    const caseload = await platform.graphql(milo, `{ myCaseload { id status requester { displayName } summary } }`);
    expect(caseload.data!.myCaseload).toContainEqual(expect.objectContaining({ id: request.id, summary: 'Finding nights hard since the crash on the M27' }));

    const logged = await logContact(milo, request.id, {
      minutes: 50,
      themeCodes: ['TRAUMA_EXPOSURE', 'WORK_STRESS'],
      outcomeCode: 'SIGNPOSTED',
      signpostedServiceIds: [serviceId(OCCUPATIONAL_HEALTH, 'oh-referral'), serviceId(POLICE, 'mind-blue-light')],
      note: 'Agreed to call Occupational Health this week',
    });
    expect(logged.errors).toBeUndefined();
    const contact = logged.data!.logSupportContact.contact;
    expect(contact).toMatchObject({ contactOn: today, minutes: 50, themeCodes: ['TRAUMA_EXPOSURE', 'WORK_STRESS'], outcomeCode: 'SIGNPOSTED' });
    expect(contact.signposting).toEqual([
      { serviceName: 'Mind Blue Light Infoline', serviceId: serviceId(POLICE, 'mind-blue-light'), serviceOrganisation: { slug: POLICE } },
      { serviceName: 'Occupational Health referral', serviceId: serviceId(OCCUPATIONAL_HEALTH, 'oh-referral'), serviceOrganisation: { slug: OCCUPATIONAL_HEALTH } },
    ]);
    // Reading the unit's service is logged in the unit's own audit log.
    const { rows: unitLog } = await asTenant(owner, occupationalHealth, () =>
      owner.query(`select actor_organisation_id, details from audit_event where tenant_id = $1 and entity_type = 'SignpostingService' and entity_id = $2`, [
        occupationalHealth,
        demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral'),
      ]),
    );
    expect(unitLog.some((row) => row.actor_organisation_id === police)).toBe(true);

    // The Lead reads the note; the colleague sees the contact but not the note.
    const asLead = await platform.graphql(lead, READ, { id: request.id });
    expect(asLead.data!.supportRequest.contacts).toEqual([
      expect.objectContaining({ id: contact.id, minutes: 50, note: 'Agreed to call Occupational Health this week', loggedBy: { id: miloId('hc-milo-23') } }),
    ]);
    const asColleague = await platform.graphql(staff1, READ, { id: request.id });
    expect(asColleague.data!.supportRequest.summary).toBe('Finding nights hard since the crash on the M27');
    expect(asColleague.data!.supportRequest.contacts).toEqual([
      expect.objectContaining({ id: contact.id, minutes: 50, note: null, loggedBy: null, signposting: [{ serviceName: 'Mind Blue Light Infoline' }, { serviceName: 'Occupational Health referral' }] }),
    ]);

    const closed = await platform.graphql(milo, CLOSE, { input: { requestId: request.id, outcomeCode: 'REFERRED_ON' } });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeSupportRequest.supportRequest).toMatchObject({ status: 'CLOSED', closureOutcomeCode: 'REFERRED_ON' });
    expect(closed.data!.closeSupportRequest.supportRequest.closedAt).toBeTruthy();

    const mine = await platform.graphql(staff1, `{ mySupportRequests(first: 100) { edges { node { id status closureOutcomeCode } } } }`);
    expect(mine.data!.mySupportRequests.edges.map((edge: any) => edge.node)).toContainEqual({ id: request.id, status: 'CLOSED', closureOutcomeCode: 'REFERRED_ON' });

    // Stored as shown, with the services' names kept beside the contact, and audited.
    const { rows: signposting } = await arrange(() =>
      owner.query(`select service_name, service_organisation_id from support_signposting where tenant_id = $1 and support_contact_id = $2 order by service_name`, [
        police,
        dbId(contact.id),
      ]),
    );
    expect(signposting).toEqual([
      { service_name: 'Mind Blue Light Infoline', service_organisation_id: police },
      { service_name: 'Occupational Health referral', service_organisation_id: occupationalHealth },
    ]);
    const actions = (await auditActions(request.id)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['SUPPORT_REQUEST_ASSIGNED', 'SUPPORT_CONTACT_LOGGED', 'SUPPORT_REQUEST_CLOSED']));

    // Once closed, nothing more is logged and it cannot be closed or assigned again.
    expectError(await logContact(milo, request.id), 'CONFLICT');
    expectError(await platform.graphql(milo, CLOSE, { input: { requestId: request.id, outcomeCode: 'RESOLVED' } }), 'CONFLICT');
    expectError(await assign(lead, request.id, miloId('hc-milo-24')), 'CONFLICT');
  });

  it('node(id:) finds a request like supportRequest(id:) does', async () => {
    const id = await askId();
    const asColleague = await platform.graphql(staff1, `query($id: ID!) { node(id: $id) { id ... on SupportRequest { status } } }`, { id });
    expect(asColleague.data!.node).toEqual({ id, status: 'WAITING' });
    const asOtherStaff = await platform.graphql(staff3, `query($id: ID!) { node(id: $id) { id } }`, { id });
    expectError(asOtherStaff, 'FORBIDDEN');
  });
});

describe('the queue', () => {
  it('puts the most urgent first, then the oldest, and flags requests waiting beyond the scheme target', async () => {
    const routine = await askId(staff1, { urgency: 'ROUTINE' });
    const urgent = await askId(staff1, { urgency: 'URGENT' });
    const soon = await askId(staff1, { urgency: 'SOON' });
    const olderRoutine = await askId(staff1, { urgency: 'ROUTINE' });
    // One routine request has waited 80 hours (the scheme's target is 72).
    await arrange(() => owner.query(`update support_request set created_at = now() - interval '80 hours' where tenant_id = $1 and id = $2`, [police, dbId(olderRoutine)]));

    const ours = (await queue()).filter((item) => [routine, urgent, soon, olderRoutine].includes(item.id));
    expect(ours.map((item) => item.id)).toEqual([urgent, soon, olderRoutine, routine]);
    expect(ours.find((item) => item.id === olderRoutine)).toMatchObject({ waitingBeyondTarget: true });
    expect(ours.find((item) => item.id === olderRoutine)!.waitingHours).toBeGreaterThanOrEqual(80);
    expect(ours.find((item) => item.id === routine)).toMatchObject({ waitingHours: 0, waitingBeyondTarget: false });

    const beyond = await platform.graphql(
      lead,
      `query($schemeId: ID!) { supportRequests(schemeId: $schemeId, first: 100, filter: { waitingBeyondTarget: true }) { totalCount edges { node { id status } } } }`,
      { schemeId },
    );
    const beyondIds = beyond.data!.supportRequests.edges.map((edge: any) => edge.node.id);
    expect(beyondIds).toContain(olderRoutine);
    expect(beyondIds).not.toContain(routine);
    expect(beyond.data!.supportRequests.edges.every((edge: any) => edge.node.status === 'WAITING')).toBe(true);

    // A Lead may close a WAITING request (withdrawn), which takes it out of the queue.
    for (const id of [routine, urgent, soon, olderRoutine]) {
      const closed = await platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'DECLINED' } });
      expect(closed.data!.closeSupportRequest.supportRequest.status).toBe('CLOSED');
    }
    expect((await queue()).some((item) => [routine, urgent, soon, olderRoutine].includes(item.id))).toBe(false);
  });

  it('pages with cursors without repeating or skipping a request', async () => {
    const ids = [await askId(staff1, { urgency: 'URGENT' }), await askId(staff1, { urgency: 'URGENT' }), await askId(staff1, { urgency: 'URGENT' })];
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: any = await platform.graphql(
        lead,
        `query($schemeId: ID!, $after: String) { supportQueue(schemeId: $schemeId, first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { schemeId, after },
      );
      seen.push(...response.data.supportQueue.edges.map((edge: any) => edge.node.id));
      if (!response.data.supportQueue.pageInfo.hasNextPage) break;
      after = response.data.supportQueue.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    for (const id of ids) await platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'DECLINED' } });
  });

  it('is for active Lead MILOs only: staff, MILOs and scheme admins are refused', async () => {
    const query = `query($schemeId: ID!) { supportQueue(schemeId: $schemeId) { totalCount } }`;
    expectError(await platform.graphql(staff1, query, { schemeId }), 'FORBIDDEN');
    expectError(await platform.graphql(milo, query, { schemeId }), 'FORBIDDEN');
    expectError(await platform.graphql(policeAdmin, query, { schemeId }), 'FORBIDDEN');
    expectError(await platform.graphql(staff1, `query($schemeId: ID!) { supportRequests(schemeId: $schemeId) { totalCount } }`, { schemeId }), 'FORBIDDEN');
    expectError(await platform.graphql(staff1, `query($schemeId: ID!) { caseloads(schemeId: $schemeId) { spare } }`, { schemeId }), 'FORBIDDEN');
    expectError(await assign(staff1, await askId(), miloId('hc-milo-23')), 'FORBIDDEN');
    // hc-staff-2 is a STAFF member and an active Lead MILO: the membership, not the token, decides.
    const asLeadStaff = await platform.graphql(person('hc-staff-2'), query, { schemeId });
    expect(asLeadStaff.errors).toBeUndefined();
  });
});

describe('anonymity and referrals', () => {
  it('an anonymous colleague is hidden from the Lead but not from the assigned MILO', async () => {
    const asked = await ask(staff4, { anonymous: true, summary: 'Please do not tell my sergeant' });
    expect(asked.supportRequest.requester.displayName).toBeTruthy(); // the colleague sees themself
    const id = asked.supportRequest.id;

    const asLead = await platform.graphql(lead, READ, { id });
    expect(asLead.data!.supportRequest).toMatchObject({ anonymous: true, requester: null, summary: 'Please do not tell my sergeant' });
    const inQueue = await platform.graphql(lead, `query($schemeId: ID!) { supportQueue(schemeId: $schemeId, first: 100) { edges { node { id requester { id } } } } }`, { schemeId });
    const queued = inQueue.data!.supportQueue.edges.find((edge: any) => edge.node.id === id);
    if (queued) expect(queued.node.requester).toBeNull();

    expect((await assign(lead, id, miloId('hc-milo-23'))).errors).toBeUndefined();
    const asMilo = await platform.graphql(milo, READ, { id });
    expect(asMilo.data!.supportRequest.requester.displayName).toBe(asked.supportRequest.requester.displayName);
    const againAsLead = await platform.graphql(lead, READ, { id });
    expect(againAsLead.data!.supportRequest.requester).toBeNull();

    // A MILO it is not assigned to sees nothing of it.
    expectError(await platform.graphql(otherMilo, READ, { id }), 'FORBIDDEN');
    await platform.graphql(milo, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } });
  });

  it('a manager refers a colleague: the colleague is the requester, the manager the referrer, and both see it', async () => {
    const colleague = toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1'));
    const asked = await ask(staff3, { forPersonId: colleague, urgency: 'URGENT', summary: 'Referred after a critical incident debrief' });
    expect(asked.supportRequest.referredBy.displayName).toBeTruthy();
    expect(asked.supportRequest.requester.displayName).not.toBe(asked.supportRequest.referredBy.displayName);
    const id = asked.supportRequest.id;
    const { rows } = await arrange(() => owner.query(`select requester_person_id, referred_by_person_id from support_request where tenant_id = $1 and id = $2`, [police, dbId(id)]));
    expect(rows[0]).toEqual({ requester_person_id: demoIds.person(POLICE, 'hc-staff-1'), referred_by_person_id: demoIds.person(POLICE, 'hc-staff-3') });
    for (const caller of [staff1, staff3]) {
      const mine = await platform.graphql(caller, `{ mySupportRequests(first: 100) { edges { node { id } } } }`);
      expect(mine.data!.mySupportRequests.edges.map((edge: any) => edge.node.id)).toContain(id);
    }
    expectError(await platform.graphql(staff4, READ, { id }), 'FORBIDDEN');

    // Referring someone of another organisation, or nobody, is refused.
    const firePerson = toGlobalId('Person', demoIds.person(FIRE, 'hfrs-admin-1'));
    expectError(await platform.graphql(staff3, ASK, { input: { schemeId, urgency: 'ROUTINE', forPersonId: firePerson } }), 'NOT_FOUND');
    expectError(await platform.graphql(staff3, ASK, { input: { schemeId, urgency: 'ROUTINE', forPersonId: 'nonsense' } }), 'BAD_USER_INPUT');
    await platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'DECLINED' } });
  });
});

describe('immediate risk', () => {
  it('returns the notice, the scheme guidance and the crisis services, own and shared by the unit', async () => {
    const startedAt = new Date();
    const scheme = await platform.graphql(staff1, `query($id: ID!) { scheme(id: $id) { crisisGuidance } }`, { id: schemeId });
    const asked = await ask(staff1, { urgency: 'URGENT', immediateRisk: true, summary: null });
    expect(asked.supportRequest).toMatchObject({ immediateRisk: true, summary: null });
    const crisis = asked.crisisSignposting;
    expect(crisis.notice).toMatch(/not an emergency service/);
    expect(crisis.notice).toMatch(/999/);
    expect(crisis.guidance).toBe(scheme.data!.scheme.crisisGuidance);
    expect(crisis.guidance).toBeTruthy();
    const ids = crisis.services.map((service: any) => service.id);
    expect(ids).toEqual(
      expect.arrayContaining([serviceId(POLICE, 'emergency-999'), serviceId(POLICE, 'nhs-111-mh'), serviceId(OCCUPATIONAL_HEALTH, 'oh-eap')]),
    );
    expect(crisis.services.find((service: any) => service.id === serviceId(OCCUPATIONAL_HEALTH, 'oh-eap'))).toMatchObject({
      name: 'Employee Assistance Programme',
      owner: { slug: OCCUPATIONAL_HEALTH },
      sharedWithUs: true,
    });
    expect(crisis.services[0].category).toBe('EMERGENCY');
    expect(crisis.services.every((service: any) => service.crisis)).toBe(true);
    // Not the non-crisis services, and nothing of the fire service's own directory.
    expect(ids).not.toContain(serviceId(POLICE, 'mind-blue-light'));
    expect(ids).not.toContain(serviceId(FIRE, 'nhs-111-mh'));
    expect(ids).not.toContain(serviceId(OCCUPATIONAL_HEALTH, 'oh-referral'));
    // The unit's log records that police read its crisis line, but not who asked for support.
    const unitLog = await asTenant(owner, demoIds.organisation(OCCUPATIONAL_HEALTH), () =>
      owner.query(
        `select actor_subject, actor_person_id from audit_event
          where actor_organisation_id = $1 and entity_type = 'SignpostingService' and details->'ids' ? $2 and occurred_at >= $3`,
        [police, demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-eap'), startedAt],
      ),
    );
    expect(unitLog.rows.length).toBeGreaterThan(0);
    expect(unitLog.rows.filter((row: any) => row.actor_subject === 'hc-staff-1' || row.actor_person_id === demoIds.person(POLICE, 'hc-staff-1'))).toEqual([]);
    await platform.graphql(lead, CLOSE, { input: { requestId: asked.supportRequest.id, outcomeCode: 'DECLINED' } });
  });
});

describe('assignment rules', () => {
  it.each([
    ['lapsed', 'hc-milo-19'],
    ['suspended', 'hc-milo-36'],
    ['in training', 'hc-milo-04'],
  ])('assigning to a %s MILO fails with MILO_NOT_ACTIVE and changes nothing; an override reason assigns it', async (_label, subject) => {
    const id = await askId();
    const before = await stored(id);
    const refused = expectError(await assign(lead, id, miloId(subject)), 'BAD_USER_INPUT');
    expect(refused.extensions).toMatchObject({ reason: 'MILO_NOT_ACTIVE', reasons: ['MILO_NOT_ACTIVE'], overridable: true });
    expect(await stored(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'WAITING', assigned_milo_id: null, assignments: 0 });

    const overridden = await assign(lead, id, miloId(subject), 'Only MILO who knows the station; cover agreed with the Lead');
    expect(overridden.errors).toBeUndefined();
    expect(overridden.data!.assignSupportRequest).toMatchObject({
      supportRequest: { status: 'ASSIGNED' },
      assignment: { overrideReason: 'Only MILO who knows the station; cover agreed with the Lead' },
      overridden: ['MILO_NOT_ACTIVE'],
    });
    expect(await stored(id)).toMatchObject({ status: 'ASSIGNED', assigned_milo_id: demoIds.milo(POLICE, subject), assignments: 1 });
    const audit = (await auditActions(id)).find((event) => event.action === 'SUPPORT_REQUEST_ASSIGNED');
    expect(audit!.details).toMatchObject({ miloId: demoIds.milo(POLICE, subject), overridden: ['MILO_NOT_ACTIVE'] });
    await platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'DECLINED' } });
  });

  it('a MILO at capacity is refused with AT_CAPACITY unless overridden; caseloads show it', async () => {
    const arranged = await arrangeActiveMilo(1);
    const status = await platform.graphql(lead, `query($id: ID!) { node(id: $id) { ... on Milo { status capacity openCaseload } } }`, { id: arranged.miloId });
    expect(status.data!.node).toEqual({ status: 'ACTIVE', capacity: 1, openCaseload: 0 });

    const first = await askId();
    expect((await assign(lead, first, arranged.miloId)).errors).toBeUndefined();
    const second = await askId();
    const refused = expectError(await assign(lead, second, arranged.miloId), 'BAD_USER_INPUT');
    expect(refused.extensions).toMatchObject({ reason: 'AT_CAPACITY', reasons: ['AT_CAPACITY'], problems: [expect.objectContaining({ field: 'miloId' })] });
    expect(await stored(second)).toMatchObject({ status: 'WAITING', assigned_milo_id: null, assignments: 0 });

    const overridden = await assign(lead, second, arranged.miloId, 'Same team as the first request; will hand over next week');
    expect(overridden.data!.assignSupportRequest.overridden).toEqual(['AT_CAPACITY']);

    const caseloads = await platform.graphql(lead, `query($schemeId: ID!) { caseloads(schemeId: $schemeId) { milo { id status } openCaseload capacity spare } }`, { schemeId });
    expect(caseloads.errors).toBeUndefined();
    const row = caseloads.data!.caseloads.find((entry: any) => entry.milo.id === arranged.miloId);
    expect(row).toEqual({ milo: { id: arranged.miloId, status: 'ACTIVE' }, openCaseload: 2, capacity: 1, spare: 0 });
    expect(caseloads.data!.caseloads.every((entry: any) => entry.spare === Math.max(0, entry.capacity - entry.openCaseload))).toBe(true);
    // Lapsed, suspended and in-training MILOs without open cases are not offered.
    const listed = caseloads.data!.caseloads.map((entry: any) => entry.milo.id);
    expect(listed).not.toContain(miloId('hc-milo-16'));
    expect(listed).not.toContain(miloId('hc-milo-45'));

    const openRequests = await platform.graphql(arranged.caller, `query($id: ID!) { node(id: $id) { ... on Milo { openCaseload openSupportRequests { id } } } }`, { id: arranged.miloId });
    expect(openRequests.data!.node.openCaseload).toBe(2);
    expect(openRequests.data!.node.openSupportRequests.map((request: any) => request.id).sort()).toEqual([first, second].sort());
    // A scheme admin sees the count but not the cases.
    const asAdmin = await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on Milo { openCaseload } } }`, { id: arranged.miloId });
    expect(asAdmin.data!.node.openCaseload).toBe(2);
    expectError(await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on Milo { openSupportRequests { id } } } }`, { id: arranged.miloId }), 'FORBIDDEN');
  });

  it('two Leads filling the last place at once: one assignment lands, the other is refused', async () => {
    const arranged = await arrangeActiveMilo(1);
    const [a, b] = [await askId(), await askId()];
    const results = await Promise.all([assign(lead, a, arranged.miloId), assign(otherLead, b, arranged.miloId)]);
    const codes = results.map((result) => result.errors?.[0]?.extensions.code ?? 'OK').sort();
    expect(codes).toEqual(['BAD_USER_INPUT', 'OK']);
    const { rows } = await arrange(() =>
      owner.query(`select count(*)::int as open from support_request where tenant_id = $1 and assigned_milo_id = $2 and status = 'ASSIGNED'`, [police, dbId(arranged.miloId)]),
    );
    expect(rows[0].open).toBe(1);
  });

  it('a withdrawn MILO is refused even with an override; a MILO of another scheme or organisation is not found', async () => {
    const id = await askId();
    const withdrawn = expectError(await assign(lead, id, miloId('hc-milo-42'), 'Please'), 'BAD_USER_INPUT');
    expect(withdrawn.extensions).toMatchObject({ reason: 'MILO_WITHDRAWN', overridable: false });
    expectError(await assign(lead, id, miloId('hfrs-milo-01', FIRE)), 'NOT_FOUND');
    expectError(await assign(lead, id, toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1'))), 'BAD_USER_INPUT');
    expect(await stored(id)).toMatchObject({ status: 'WAITING', assignments: 0 });
    await platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'DECLINED' } });
  });

  it('reassigning keeps the history; the previous MILO can no longer log contacts, the new one can', async () => {
    const id = await askId();
    expect((await assign(lead, id, miloId('hc-milo-23'))).errors).toBeUndefined();
    expectError(await assign(lead, id, miloId('hc-milo-23')), 'BAD_USER_INPUT');
    const reassigned = await assign(otherLead, id, miloId('hc-milo-24'));
    expect(reassigned.errors).toBeUndefined();
    expect(await stored(id)).toMatchObject({ status: 'ASSIGNED', assigned_milo_id: demoIds.milo(POLICE, 'hc-milo-24'), assignments: 2 });
    const history = await platform.graphql(lead, `query($id: ID!) { supportRequest(id: $id) { assignments { milo { id } assignedBy { displayName } } } }`, { id });
    expect(history.data!.supportRequest.assignments.map((assignment: any) => assignment.milo.id)).toEqual([miloId('hc-milo-23'), miloId('hc-milo-24')]);
    expect((await auditActions(id)).map((event) => event.action)).toEqual(expect.arrayContaining(['SUPPORT_REQUEST_ASSIGNED', 'SUPPORT_REQUEST_REASSIGNED']));

    const filtered = await platform.graphql(
      lead,
      `query($schemeId: ID!, $milo: ID!) { supportRequests(schemeId: $schemeId, first: 100, filter: { status: ASSIGNED, assignedMiloId: $milo }) { edges { node { id } } } }`,
      { schemeId, milo: miloId('hc-milo-24') },
    );
    expect(filtered.data!.supportRequests.edges.map((edge: any) => edge.node.id)).toContain(id);
    const previous = await platform.graphql(
      lead,
      `query($schemeId: ID!, $milo: ID!) { supportRequests(schemeId: $schemeId, first: 100, filter: { assignedMiloId: $milo }) { edges { node { id } } } }`,
      { schemeId, milo: miloId('hc-milo-23') },
    );
    expect(previous.data!.supportRequests.edges.map((edge: any) => edge.node.id)).not.toContain(id);

    expectError(await logContact(milo, id), 'FORBIDDEN');
    expect((await logContact(otherMilo, id)).errors).toBeUndefined();
    // The colleague does not see who handled it.
    expectError(await platform.graphql(staff1, `query($id: ID!) { supportRequest(id: $id) { assignments { assignedAt } } }`, { id }), 'FORBIDDEN');
    await platform.graphql(otherMilo, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } });
  });
});

describe('who may log and read', () => {
  let id: string;
  beforeAll(async () => {
    id = await askId(staff1, { summary: 'Private words' });
    await assign(lead, id, miloId('hc-milo-23'));
  });
  afterAll(() => platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } }));

  it('a MILO it is not assigned to cannot log contacts, read it or its notes; a Lead reads but does not log', async () => {
    const logged = await logContact(milo, id, { note: 'Only for the MILO and Leads' });
    expect(logged.errors).toBeUndefined();
    const contactId = logged.data!.logSupportContact.contact.id;
    const nodeQuery = `query($id: ID!) { node(id: $id) { id ... on SupportContact { minutes note } } }`;
    expect((await platform.graphql(lead, nodeQuery, { id: contactId })).data!.node).toEqual({ id: contactId, minutes: 45, note: 'Only for the MILO and Leads' });
    expect((await platform.graphql(staff1, nodeQuery, { id: contactId })).data!.node).toEqual({ id: contactId, minutes: 45, note: null });
    expectError(await platform.graphql(otherMilo, nodeQuery, { id: contactId }), 'FORBIDDEN');
    expect((await platform.graphql(fireLead, nodeQuery, { id: contactId })).data!.node).toBeNull();
    expectError(await logContact(otherMilo, id), 'FORBIDDEN');
    expectError(await platform.graphql(otherMilo, READ, { id }), 'FORBIDDEN');
    expectError(await logContact(lead, id), 'FORBIDDEN');
    expectError(await logContact(staff1, id), 'FORBIDDEN');
    expectError(await platform.graphql(otherMilo, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } }), 'FORBIDDEN');
    const asLead = await platform.graphql(lead, READ, { id });
    expect(asLead.data!.supportRequest.contacts.map((contact: any) => contact.note)).toEqual(['Only for the MILO and Leads']);
    expect((await stored(id)).contacts).toBe(1);
  });

  it('another organisation cannot see, assign, log on or close it', async () => {
    const read = await platform.graphql(fireLead, READ, { id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.supportRequest).toBeNull();
    const node = await platform.graphql(fireLead, `query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(node.data!.node).toBeNull();
    expectError(await assign(fireLead, id, miloId('hfrs-milo-02', FIRE)), 'NOT_FOUND');
    expectError(await logContact(fireMilo, id), 'NOT_FOUND');
    expectError(await platform.graphql(fireLead, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } }), 'NOT_FOUND');
    expectError(await platform.graphql(fireLead, `query($schemeId: ID!) { supportQueue(schemeId: $schemeId) { totalCount } }`, { schemeId }), 'NOT_FOUND');
    expectError(await platform.graphql(fireStaff, ASK, { input: { schemeId, urgency: 'ROUTINE' } }), 'NOT_FOUND');
    const fireQueue = await platform.graphql(fireLead, `query($schemeId: ID!) { supportQueue(schemeId: $schemeId, first: 100) { edges { node { id } } } }`, {
      schemeId: toGlobalId('Scheme', demoIds.scheme(FIRE)),
    });
    expect(fireQueue.errors).toBeUndefined();
    expect(fireQueue.data!.supportQueue.edges.map((edge: any) => edge.node.id)).not.toContain(id);
    expect(await stored(id)).toMatchObject({ status: 'ASSIGNED', contacts: 1 });
  });
});

describe('malformed and hostile input', () => {
  let id: string;
  beforeAll(async () => {
    id = await askId();
    await assign(lead, id, miloId('hc-milo-23'));
  });
  afterAll(() => platform.graphql(lead, CLOSE, { input: { requestId: id, outcomeCode: 'RESOLVED' } }));

  it.each([
    ['an unknown theme', { themeCodes: ['NOT_A_THEME'] }, 'themeCodes[0]'],
    ['a theme twice', { themeCodes: ['WORK_STRESS', 'WORK_STRESS'] }, 'themeCodes'],
    ['an unknown outcome', { outcomeCode: 'RESOLVED' }, 'outcomeCode'],
    ['a date in the future', { contactOn: addDays(today, 1) }, 'contactOn'],
    ['a date before the request', { contactOn: '2020-01-01' }, 'contactOn'],
    ['no minutes', { minutes: 0 }, 'minutes'],
    ['more than a day', { minutes: 1441 }, 'minutes'],
    ['a 100 KB note', { note: 'x'.repeat(100_000) }, 'note'],
    ['a NUL in the note', { note: 'before\u0000after' }, 'note'],
    ["a service of another organisation's directory", { signpostedServiceIds: [serviceId(FIRE, 'firefighters-charity')] }, 'signpostedServiceIds[0]'],
    ['something that is not a service', { signpostedServiceIds: [toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1'))] }, 'signpostedServiceIds[0]'],
  ])('%s is refused with BAD_USER_INPUT and nothing is written', async (_label, input, field) => {
    const response = await logContact(milo, id, input);
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain(field);
    expect((await stored(id)).contacts).toBe(0);
  });

  it('a closing outcome from another list is refused', async () => {
    const error = expectError(await platform.graphql(milo, CLOSE, { input: { requestId: id, outcomeCode: 'SUPPORT_GIVEN' } }), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([expect.objectContaining({ field: 'outcomeCode' })]);
    expect((await stored(id)).status).toBe('ASSIGNED');
  });

  it('a summary of 100 KB or with a NUL is refused; a request ID of the wrong kind is refused', async () => {
    expectError(await platform.graphql(staff1, ASK, { input: { schemeId, urgency: 'ROUTINE', summary: 'y'.repeat(100_000) } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(staff1, ASK, { input: { schemeId, urgency: 'ROUTINE', summary: 'a\u0000b' } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(staff1, ASK, { input: { schemeId, urgency: 'NOW', summary: 'x' } }), 'BAD_USER_INPUT');
    expectError(await logContact(milo, schemeId), 'BAD_USER_INPUT');
  });

  it('SQL and HTML in a note are stored verbatim and returned only to the MILO and Leads', async () => {
    const hostile = `'); drop table person; -- <script>alert("x")</script>`;
    const logged = await logContact(milo, id, { note: hostile, minutes: 20 });
    expect(logged.errors).toBeUndefined();
    expect(logged.data!.logSupportContact.contact.note).toBe(hostile);
    const { rows } = await arrange(() => owner.query(`select note from support_contact where tenant_id = $1 and support_request_id = $2`, [police, dbId(id)]));
    expect(rows).toEqual([{ note: hostile }]);
    expect((await arrange(() => owner.query(`select count(*)::int as people from person where tenant_id = $1`, [police]))).rows[0].people).toBeGreaterThan(0);

    expect((await platform.graphql(lead, READ, { id })).data!.supportRequest.contacts[0].note).toBe(hostile);
    expect((await platform.graphql(staff1, READ, { id })).data!.supportRequest.contacts[0].note).toBeNull();
  });
});

describe('statements', () => {
  it('the queue with 40 requests costs the same SQL statements as with 10', async () => {
    const slug = `support-queue-${Date.now()}`;
    const tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Support Queue Constabulary', people: 45 });
    await asTenant(owner, tenantId, async () => {
      const { rows: schemes } = await owner.query(`select id from scheme where tenant_id = $1`, [tenantId]);
      const { rows: people } = await owner.query(`select id, subject from person where tenant_id = $1`, [tenantId]);
      const bySubject = new Map(people.map((row) => [row.subject, row.id]));
      const leadMilo = await owner.query(
        `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, capacity) values ($1, $2, $3, 'LEAD_MILO', 'ACTIVE', $4, 5) returning id`,
        [tenantId, schemes[0].id, bySubject.get('person-2'), today],
      );
      await owner.query(
        `insert into milo_status_change (tenant_id, milo_id, from_status, to_status, effective_on, reason, changed_at) values ($1, $2, 'IN_TRAINING', 'ACTIVE', $3, 'Arranged', now())`,
        [tenantId, leadMilo.rows[0].id, today],
      );
      for (let n = 0; n < 40; n += 1) {
        await owner.query(
          `insert into support_request (tenant_id, scheme_id, requester_person_id, referred_by_person_id, anonymous, urgency, immediate_risk, summary, status, created_at)
           values ($1, $2, $3, $4, $5, $6, false, $7, 'WAITING', now() - make_interval(hours => $8))`,
          [tenantId, schemes[0].id, bySubject.get(`person-${n + 3}`), n % 5 === 0 ? bySubject.get('person-44') : null, n % 3 === 0, ['ROUTINE', 'SOON', 'URGENT'][n % 3], `Summary ${n}`, n * 7],
        );
      }
    });
    const schemeOfTenant = (await asTenant(owner, tenantId, () => owner.query(`select id from scheme where tenant_id = $1`, [tenantId]))).rows[0].id;
    const caller: Caller = { organisation: slug, roles: ['STAFF'], subject: 'person-2' };
    const query = `query($schemeId: ID!, $first: Int!) { supportQueue(schemeId: $schemeId, first: $first) {
      totalCount edges { cursor node { id urgency anonymous summary waitingHours waitingBeyondTarget
        requester { displayName area } referredBy { displayName } scheme { name supportTargetHours }
        assignedMilo { id } assignments { assignedAt } contacts { minutes note signposting { serviceName } } } } } }`;
    const ten = await platform.graphql(caller, query, { schemeId: toGlobalId('Scheme', schemeOfTenant), first: 10 });
    const forty = await platform.graphql(caller, query, { schemeId: toGlobalId('Scheme', schemeOfTenant), first: 40 });
    expect(ten.errors).toBeUndefined();
    expect(forty.errors).toBeUndefined();
    expect(ten.data!.supportQueue.edges).toHaveLength(10);
    expect(forty.data!.supportQueue.edges).toHaveLength(40);
    expect(forty.data!.supportQueue.totalCount).toBe(40);
    // Queue order: URGENT, then SOON, then ROUTINE, oldest first within each.
    const urgencies = forty.data!.supportQueue.edges.map((edge: any) => edge.node.urgency);
    expect(urgencies.slice(0, 13).every((urgency: string) => urgency === 'URGENT')).toBe(true);
    expect(urgencies.slice(13, 26).every((urgency: string) => urgency === 'SOON')).toBe(true);
    const urgentHours = forty.data!.supportQueue.edges.slice(0, 13).map((edge: any) => edge.node.waitingHours);
    expect(urgentHours).toEqual([...urgentHours].sort((a, b) => b - a));
    // Anonymous colleagues stay hidden from the Lead in the list too.
    expect(forty.data!.supportQueue.edges.filter((edge: any) => edge.node.anonymous).every((edge: any) => edge.node.requester === null)).toBe(true);
    expect(ten.statements).toBeDefined();
    expect(forty.statements).toBe(ten.statements);
  });
});
