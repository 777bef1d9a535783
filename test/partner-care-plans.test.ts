import { addDays, ukDateOf } from '../src/platform/calendar';
import {
  FIRE,
  OCCUPATIONAL_HEALTH,
  POLICE,
  SOLENT,
  SOUTHERN_HEALTH,
  asTenant,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
} from './support/platform';
import { createAgreement, createTestUnit, revokeAgreement, setAgreementEnd, type TestUnit } from './support/partner-unit';
import { auditEventsOf, databaseNow, insertAgreement, insertPlan, type ArrangedPlan } from './support/partner-care-plans';

/*
 * The partner surface of care plans (issue 5, item 5) through the API, with real tokens:
 * Southern Health lists the plans police and fire share with it, reads their shared inputs and
 * contributes its own, which the police then see; each read and contribution is in the owner's
 * audit log. Every refusal the issue names is a test here, and each leaves a DENIED event in
 * the owner's log: no agreement, an expired or revoked one, outside the care team, an internal
 * input, a field outside the scope, changing the owner's plan. Listing 50 plans with their
 * teams and inputs costs what listing 5 does.
 *
 * The seeded plans and agreements are only read. Plans that contributions go to are this
 * file's own; what revokes or expires is an agreement of throwaway organisations.
 */

const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
const solent = demoIds.organisation(SOLENT);
const occupationalHealth = demoIds.organisation(OCCUPATIONAL_HEALTH);
const plan = (owner: string, reference: string) => toGlobalId('CarePlan', demoIds.carePlan(owner, reference));
const planId = (owner: string, reference: string) => demoIds.carePlan(owner, reference);

const shClinician: Caller = personas.southernHealth.clinician;
const shClinician2: Caller = personas.southernHealth.otherClinician;
const solentClinician: Caller = personas.solent.clinician;
const ohAdviser: Caller = personas.occupationalHealth.adviser;
const policeLead: Caller = personas.police.otherStaff;

const LIST = `query($first: Int, $after: String, $filter: CarePlansSharedWithUsFilter) {
  carePlansSharedWithUs(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id reference status owner { slug }
      presentationAndTriggers whatHelps whatToAvoid agreedResponse
      consent { status } reviewDueOn
      careTeam { displayName organisation { slug } }
      inputs { id kind visibility authorName authorOrganisation { slug } body }
    } }
  }
}`;
const CONTRIBUTE = `mutation($input: ContributeCarePlanInputInput!) {
  contributeCarePlanInput(input: $input) {
    input { id kind visibility authorName authorOrganisation { slug } body }
    carePlan { id reference }
  }
}`;
const CARE_PLAN = `query($id: ID!) { carePlan(id: $id) { id reference } }`;
const NODE = `query($id: ID!) { node(id: $id) { id } }`;

type PlanNode = Record<string, any>;

const { platform, owner } = usePlatform();

async function listFor(caller: Caller, variables: Record<string, unknown> = {}): Promise<PlanNode[]> {
  const response = await platform.graphql(caller, LIST, { first: 100, ...variables });
  expect(response.errors).toBeUndefined();
  return response.data!.carePlansSharedWithUs.edges.map((edge: { node: PlanNode }) => edge.node);
}

const byId = (nodes: PlanNode[]) => Object.fromEntries(nodes.map((node) => [node.id, node]));

async function contribute(caller: Caller, carePlanId: string, body = 'Seen in clinic this week: settled, sleeping better.') {
  return platform.graphql(caller, CONTRIBUTE, { input: { carePlanId, body } });
}

describe('Southern Health lists the plans police and fire share with it', () => {
  let since: Date;
  let nodes: PlanNode[];

  beforeAll(async () => {
    since = await databaseNow(owner);
    nodes = await listFor(shClinician);
  });

  it('across every owner that shares with it: police’s plans it is on the team of and fire’s', () => {
    const ids = nodes.map((node) => node.id);
    expect(ids).toEqual(expect.arrayContaining([plan(POLICE, 'CP-HC-0001'), plan(POLICE, 'CP-HC-0002'), plan(FIRE, 'CP-HFRS-0001')]));
    expect(ids).not.toContain(plan(POLICE, 'CP-HC-0003'));
    expect(new Set(nodes.map((node) => node.owner.slug))).toEqual(new Set([POLICE, FIRE]));
    for (const node of nodes) expect(node.careTeam.map((member: { organisation: { slug: string } }) => member.organisation.slug)).toContain(SOUTHERN_HEALTH);
  });

  it('reads the fields of each owner’s rule, and only SHARED inputs', () => {
    const seen = byId(nodes);
    const first = seen[plan(POLICE, 'CP-HC-0001')];
    expect(first).toMatchObject({ reference: 'CP-HC-0001', status: 'ACTIVE', consent: { status: 'GIVEN' } });
    expect(first.whatToAvoid).toMatch(/Several officers approaching at once/);
    const inputIds = first.inputs.map((input: { id: string }) => input.id);
    expect(inputIds).toEqual(
      expect.arrayContaining([
        toGlobalId('CarePlanInput', demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-shared')),
        toGlobalId('CarePlanInput', demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'southern-health')),
      ]),
    );
    expect(inputIds).not.toContain(toGlobalId('CarePlanInput', demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-internal')));
    expect(new Set(nodes.flatMap((node) => node.inputs.map((input: { visibility: string }) => input.visibility)))).toEqual(new Set(['SHARED']));
    // Fire's rule does not name the consent: null for Southern Health.
    expect(seen[plan(FIRE, 'CP-HFRS-0001')]).toMatchObject({ consent: null, whatHelps: expect.stringMatching(/Visits arranged in advance/) });
  });

  it('logs each plan read in its owner’s log, with the agreement’s purpose, one event per owner for the page', async () => {
    const policeReads = await auditEventsOf(owner, police, { action: 'CARE_PLAN_READ', actorOrganisationId: southernHealth, outcome: 'ALLOWED', since });
    expect(policeReads).toHaveLength(1);
    expect(policeReads[0]).toMatchObject({ actor_subject: 'sh-clinician-1', entity_type: 'CarePlan', purpose: expect.stringMatching(/community mental health team/) });
    expect(policeReads[0].details.ids).toEqual(expect.arrayContaining([planId(POLICE, 'CP-HC-0001'), planId(POLICE, 'CP-HC-0002')]));
    const fireReads = await auditEventsOf(owner, fire, { action: 'CARE_PLAN_READ', actorOrganisationId: southernHealth, outcome: 'ALLOWED', since });
    expect(fireReads.flatMap((event) => event.details.ids)).toContain(planId(FIRE, 'CP-HFRS-0001'));
    expect(fireReads[0].purpose).toMatch(/home fire safety visits/);
    const inputReads = await auditEventsOf(owner, police, { action: 'CARE_PLAN_INPUT_READ', actorOrganisationId: southernHealth, since });
    expect(inputReads.flatMap((event) => event.details.ids)).toContain(demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'southern-health'));
  });

  it('a field outside fire’s scope (consent) reads as null and is a DENIED event in fire’s log', async () => {
    const refused = await auditEventsOf(owner, fire, { action: 'CARE_PLAN_READ', actorOrganisationId: southernHealth, outcome: 'DENIED', since });
    expect(refused).toHaveLength(1);
    expect(refused[0].details).toMatchObject({ reason: 'FIELD_OUTSIDE_SCOPE', fields: ['consent'] });
    expect(refused[0].details.ids).toContain(planId(FIRE, 'CP-HFRS-0001'));
  });

  it('filters by owner, status and overdue review, and pages by cursor', async () => {
    const fireOnly = await listFor(shClinician, { filter: { ownerOrganisationId: toGlobalId('Organisation', fire) } });
    expect(fireOnly.map((node) => node.owner.slug)).toEqual(fireOnly.map(() => FIRE));
    expect(fireOnly.map((node) => node.id)).toContain(plan(FIRE, 'CP-HFRS-0001'));
    const underReview = await listFor(shClinician, { filter: { status: 'UNDER_REVIEW' } });
    expect(underReview.map((node) => node.id)).toContain(plan(POLICE, 'CP-HC-0002'));
    expect(new Set(underReview.map((node) => node.status))).toEqual(new Set(['UNDER_REVIEW']));
    const overdue = (await listFor(shClinician, { filter: { reviewOverdue: true } })).map((node) => node.id);
    expect(overdue).toContain(plan(POLICE, 'CP-HC-0002'));
    expect(overdue).not.toContain(plan(POLICE, 'CP-HC-0001'));
    const notOverdue = (await listFor(shClinician, { filter: { reviewOverdue: false } })).map((node) => node.id);
    expect(notOverdue).toContain(plan(POLICE, 'CP-HC-0001'));
    expect(notOverdue).not.toContain(plan(POLICE, 'CP-HC-0002'));

    const firstPage = await platform.graphql(shClinician, LIST, { first: 1 });
    const second = await platform.graphql(shClinician, LIST, { first: 1, after: firstPage.data!.carePlansSharedWithUs.pageInfo.endCursor });
    expect(firstPage.data!.carePlansSharedWithUs.pageInfo.hasNextPage).toBe(true);
    expect(second.data!.carePlansSharedWithUs.edges[0].node.id).not.toBe(firstPage.data!.carePlansSharedWithUs.edges[0].node.id);
    // Other test files share plans with Southern Health as this runs: at least what was listed.
    expect(firstPage.data!.carePlansSharedWithUs.totalCount).toBeGreaterThanOrEqual(nodes.length);

    expectError(await platform.graphql(shClinician, LIST, { filter: { ownerOrganisationId: plan(POLICE, 'CP-HC-0001') } }), 'BAD_USER_INPUT');
  });
});

describe('Solent NHS Trust: consent required, three sections in scope', () => {
  it('sees CP-HC-0001 (consent given) and not CP-HC-0002 (none recorded); sections outside its scope read as null, audited DENIED', async () => {
    const since = await databaseNow(owner);
    const nodes = byId(await listFor(solentClinician));
    expect(Object.keys(nodes)).toContain(plan(POLICE, 'CP-HC-0001'));
    expect(Object.keys(nodes)).not.toContain(plan(POLICE, 'CP-HC-0002'));
    expect(nodes[plan(POLICE, 'CP-HC-0001')]).toMatchObject({
      presentationAndTriggers: null,
      consent: null,
      reviewDueOn: null,
      whatHelps: expect.stringMatching(/One officer speaking calmly/),
      whatToAvoid: expect.stringMatching(/Several officers/),
    });
    const [refused] = await auditEventsOf(owner, police, { action: 'CARE_PLAN_READ', actorOrganisationId: solent, outcome: 'DENIED', since });
    expect(refused).toMatchObject({ actor_subject: 'solent-clinician-1', purpose: expect.stringMatching(/Portsmouth crisis team/) });
    expect(refused.details).toMatchObject({ reason: 'FIELD_OUTSIDE_SCOPE', fields: ['consent', 'presentationAndTriggers', 'reviewDueOn'] });
  });
});

describe('who may ask', () => {
  it('partner users only: a partner’s scheme admin and the owner’s own staff are FORBIDDEN', async () => {
    expectError(await platform.graphql(personas.southernHealth.admin, LIST), 'FORBIDDEN');
    expectError(await platform.graphql(policeLead, LIST), 'FORBIDDEN');
    expectError(await contribute(personas.southernHealth.auditor, plan(POLICE, 'CP-HC-0001')), 'FORBIDDEN');
  });

  it('a partner user with no care-plan agreement (the occupational-health unit) gets an empty list', async () => {
    expect(await listFor(ohAdviser)).toEqual([]);
  });
});

describe('contributing, end to end with the seeded organisations', () => {
  let carePlanId: string;
  let since: Date;

  beforeAll(async () => {
    const reference = `CP-HC-P${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const created = await platform.graphql(
      policeLead,
      `mutation($input: CreateCarePlanInput!) { createCarePlan(input: $input) { carePlan { id } } }`,
      {
        input: {
          reference,
          lawfulBasis: 'DPA 2018 Part 3, s.35 and s.42',
          whatHelps: 'A calm approach by one officer.',
          subject: { displayName: 'Test Subject' },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    carePlanId = created.data!.createCarePlan.carePlan.id;
    const added = await platform.graphql(
      policeLead,
      `mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { careTeamMember { id } } }`,
      { input: { carePlanId, organisationId: toGlobalId('Organisation', southernHealth), displayName: 'Dr Omar Haddad', role: 'Consultant psychiatrist' } },
    );
    expect(added.errors).toBeUndefined();
    since = await databaseNow(owner);
  });

  it('a Southern Health clinician adds an input in their own name, PARTNER and SHARED', async () => {
    const response = await contribute(shClinician, carePlanId, 'Reviewed in clinic: early warning signs are missed appointments.');
    expect(response.errors).toBeUndefined();
    expect(response.data!.contributeCarePlanInput).toMatchObject({
      input: {
        kind: 'PARTNER',
        visibility: 'SHARED',
        authorName: 'Dr Omar Haddad',
        authorOrganisation: { slug: SOUTHERN_HEALTH },
        body: 'Reviewed in clinic: early warning signs are missed appointments.',
      },
      carePlan: { id: carePlanId },
    });
  });

  it('is logged in the police log as CARE_PLAN_INPUT_CONTRIBUTED, with the agreement’s purpose and without the text', async () => {
    const [event] = await auditEventsOf(owner, police, { action: 'CARE_PLAN_INPUT_CONTRIBUTED', actorOrganisationId: southernHealth, since });
    expect(event).toMatchObject({
      outcome: 'ALLOWED',
      actor_subject: 'sh-clinician-1',
      entity_type: 'CarePlanInput',
      purpose: expect.stringMatching(/community mental health team/),
      details: { carePlanId: Buffer.from(carePlanId, 'base64url').toString().split(':')[1], kind: 'PARTNER', visibility: 'SHARED' },
    });
    expect(JSON.stringify(event.details)).not.toMatch(/missed appointments/);
  });

  it('the police Lead MILO then sees it on the plan, and so does Southern Health’s other clinician', async () => {
    const response = await platform.graphql(policeLead, `query($id: ID!) { carePlan(id: $id) { inputs { kind authorName authorOrganisation { slug } body visibility } } }`, { id: carePlanId });
    expect(response.errors).toBeUndefined();
    expect(response.data!.carePlan.inputs).toContainEqual({
      kind: 'PARTNER',
      authorName: 'Dr Omar Haddad',
      authorOrganisation: { slug: SOUTHERN_HEALTH },
      body: 'Reviewed in clinic: early warning signs are missed appointments.',
      visibility: 'SHARED',
    });
    const colleague = byId(await listFor(shClinician2));
    expect(colleague[carePlanId].inputs.map((input: { body: string }) => input.body)).toContain('Reviewed in clinic: early warning signs are missed appointments.');
  });

  it('refuses malformed input with BAD_USER_INPUT and an unknown plan with NOT_FOUND, writing nothing', async () => {
    expectError(await contribute(shClinician, carePlanId, 'x'.repeat(4001)), 'BAD_USER_INPUT');
    expectError(await contribute(shClinician, carePlanId, '   '), 'BAD_USER_INPUT');
    expectError(await contribute(shClinician, carePlanId, 'nul \u0000 inside'), 'BAD_USER_INPUT');
    expectError(await contribute(shClinician, toGlobalId('CarePlanInput', planId(POLICE, 'CP-HC-0001'))), 'BAD_USER_INPUT');
    expectError(await contribute(shClinician, toGlobalId('CarePlan', '00000000-0000-4000-8000-000000000000')), 'NOT_FOUND');
    expect((await contribute(shClinician, carePlanId, 'y'.repeat(4000))).errors).toBeUndefined();
    const { rows } = await asTenant(owner, police, () =>
      owner.query(`select count(*)::int as n from care_plan_input where care_plan_id = $1`, [Buffer.from(carePlanId, 'base64url').toString().split(':')[1]]),
    );
    expect(rows[0].n).toBe(2);
  });
});

describe('refusals: each a clear error and a DENIED event in the owner’s log', () => {
  async function denied(ownerId: string, actor: string, since: Date, action?: string) {
    return auditEventsOf(owner, ownerId, { actorOrganisationId: actor, outcome: 'DENIED', since, action });
  }

  it('Solent may read inputs but not contribute: FORBIDDEN naming the agreement', async () => {
    const since = await databaseNow(owner);
    const error = expectError(await contribute(solentClinician, plan(POLICE, 'CP-HC-0001')), 'FORBIDDEN');
    expect(error.message).toBe('No data sharing agreement in force with Hampshire and Isle of Wight Constabulary lets Solent NHS Trust contribute to its care plans');
    const [event] = await denied(police, solent, since, 'CARE_PLAN_INPUT_CONTRIBUTED');
    expect(event).toMatchObject({ entity_id: planId(POLICE, 'CP-HC-0001'), actor_subject: 'solent-clinician-1', details: { reason: 'NO_CONTRIBUTE_RULE' } });
  });

  it('outside the care team: Southern Health contributing to or asking for CP-HC-0003', async () => {
    const since = await databaseNow(owner);
    const error = expectError(await contribute(shClinician, plan(POLICE, 'CP-HC-0003')), 'FORBIDDEN');
    expect(error.message).toBe('Southern Health NHS Foundation Trust is not on the care team of this plan');
    const read = expectError(await platform.graphql(shClinician, CARE_PLAN, { id: plan(POLICE, 'CP-HC-0003') }), 'FORBIDDEN');
    expect(read.message).toBe('Southern Health NHS Foundation Trust is not on the care team of this plan');
    const events = await denied(police, southernHealth, since);
    expect(events.map((event) => [event.action, event.entity_id, event.details.reason])).toEqual([
      ['CARE_PLAN_INPUT_CONTRIBUTED', planId(POLICE, 'CP-HC-0003'), 'NOT_ON_CARE_TEAM'],
      ['CARE_PLAN_READ', planId(POLICE, 'CP-HC-0003'), 'NOT_ON_CARE_TEAM'],
    ]);
  });

  it('without a care-plan agreement (a partner of police for referrals only): the occupational-health unit asking for a police plan by carePlan(id:), node(id:) or contributing', async () => {
    const since = await databaseNow(owner);
    const message =
      'No data sharing agreement in force with Hampshire and Isle of Wight Constabulary grants care plans to Hampshire and Isle of Wight Occupational Health Unit';
    for (const query of [CARE_PLAN, NODE]) {
      const error = expectError(await platform.graphql(ohAdviser, query, { id: plan(POLICE, 'CP-HC-0001') }), 'FORBIDDEN');
      expect(error.message).toBe(message);
    }
    expect(expectError(await contribute(ohAdviser, plan(POLICE, 'CP-HC-0001')), 'FORBIDDEN').message).toBe(message);
    const events = await denied(police, occupationalHealth, since);
    expect(events.map((event) => [event.action, event.details.reason])).toEqual([
      ['CARE_PLAN_READ', 'NO_AGREEMENT'],
      ['CARE_PLAN_READ', 'NO_AGREEMENT'],
      ['CARE_PLAN_INPUT_CONTRIBUTED', 'NO_AGREEMENT'],
    ]);
    expect(events.every((event) => event.actor_subject === 'oh-adviser-1' && event.entity_id === planId(POLICE, 'CP-HC-0001'))).toBe(true);
  });

  it('an INTERNAL input asked for by id: FORBIDDEN, DENIED in police’s log', async () => {
    const since = await databaseNow(owner);
    const internal = demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-internal');
    const error = expectError(await platform.graphql(shClinician, NODE, { id: toGlobalId('CarePlanInput', internal) }), 'FORBIDDEN');
    expect(error.message).toBe(
      'This input of Hampshire and Isle of Wight Constabulary is not shared with Southern Health NHS Foundation Trust: only inputs marked SHARED, on plans shared with you, are',
    );
    expect(error.message).not.toMatch(/Intelligence log/);
    const events = await denied(police, southernHealth, since);
    expect(events).toEqual([expect.objectContaining({ action: 'CARE_PLAN_INPUT_READ', entity_id: internal, entity_type: 'CarePlanInput' })]);
    // The shared input of the same plan is there for it.
    const shared = await platform.graphql(shClinician, NODE, { id: toGlobalId('CarePlanInput', demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-shared')) });
    expect(shared.data!.node).not.toBeNull();
  });

  it('changing the owner’s plan: FORBIDDEN, DENIED in police’s log, the plan unchanged', async () => {
    const since = await databaseNow(owner);
    const before = await asTenant(owner, police, () => owner.query(`select version, what_helps from care_plan where id = $1`, [planId(POLICE, 'CP-HC-0001')]));
    const update = await platform.graphql(
      shClinician,
      `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { carePlan { id } } }`,
      { input: { carePlanId: plan(POLICE, 'CP-HC-0001'), whatHelps: 'Changed by a partner' } },
    );
    expectError(update, 'FORBIDDEN');
    const team = await platform.graphql(
      shClinician,
      `mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { careTeamMember { id } } }`,
      { input: { carePlanId: plan(POLICE, 'CP-HC-0003'), organisationId: toGlobalId('Organisation', southernHealth), displayName: 'Me', role: 'Self-appointed' } },
    );
    expectError(team, 'FORBIDDEN');
    const events = await denied(police, southernHealth, since);
    expect(events.map((event) => event.entity_id)).toEqual([planId(POLICE, 'CP-HC-0001'), planId(POLICE, 'CP-HC-0003')]);
    const after = await asTenant(owner, police, () => owner.query(`select version, what_helps from care_plan where id = $1`, [planId(POLICE, 'CP-HC-0001')]));
    expect(after.rows).toEqual(before.rows);
  });
});

describe('expired and revoked agreements: the next request is refused', () => {
  let ownerOrg: TestUnit;
  let partner: TestUnit;
  let arranged: ArrangedPlan;
  let agreement: { globalId: string; id: string };
  const today = ukDateOf(new Date());

  beforeAll(async () => {
    ownerOrg = await createTestUnit(owner, 'cp-lapse-owner', 'POLICE');
    partner = await createTestUnit(owner, 'cp-lapse-partner', 'NHS_TRUST');
    arranged = await insertPlan(owner, ownerOrg.id, { team: [partner.id] });
    agreement = await createAgreement(platform, ownerOrg.admin, partner.id, [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'] },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] },
    ]);
    // A second agreement in force between them keeps the partner a partner when the care-plan
    // one lapses: its refusals name the lapsed agreement and are the owner's to see. A partner
    // left with none is a stranger to the owner (no-oracle.test.ts).
    await createAgreement(platform, ownerOrg.admin, partner.id, [{ resource: 'REFERRAL', actions: ['READ'] }]);
  });

  it('while in force, the partner lists the plan and contributes', async () => {
    expect((await listFor(partner.adviser)).map((node) => node.id)).toEqual([toGlobalId('CarePlan', arranged.id)]);
    expect((await contribute(partner.adviser, toGlobalId('CarePlan', arranged.id))).errors).toBeUndefined();
  });

  it('expired yesterday: nothing listed; by id or contributing FORBIDDEN naming the expiry; each DENIED', async () => {
    await setAgreementEnd(owner, ownerOrg.id, agreement.id, addDays(today, -1));
    const since = await databaseNow(owner);
    expect(await listFor(partner.adviser)).toEqual([]);
    const message = `The data sharing agreement with ${ownerOrg.name} expired on ${addDays(today, -1)}: no agreement in force grants care plans to ${partner.name}`;
    expect(expectError(await platform.graphql(partner.adviser, CARE_PLAN, { id: toGlobalId('CarePlan', arranged.id) }), 'FORBIDDEN').message).toBe(message);
    expect(expectError(await contribute(partner.adviser, toGlobalId('CarePlan', arranged.id)), 'FORBIDDEN').message).toBe(message);
    const events = await auditEventsOf(owner, ownerOrg.id, { outcome: 'DENIED', since });
    expect(events.map((event) => [event.action, event.details.reason])).toEqual([
      ['CARE_PLAN_READ', 'AGREEMENT_EXPIRED'],
      ['CARE_PLAN_INPUT_CONTRIBUTED', 'AGREEMENT_EXPIRED'],
    ]);
    await setAgreementEnd(owner, ownerOrg.id, agreement.id, null);
  });

  it('revoked: the same, naming the revocation', async () => {
    expect((await listFor(partner.adviser)).map((node) => node.id)).toEqual([toGlobalId('CarePlan', arranged.id)]);
    await revokeAgreement(platform, ownerOrg.admin, agreement.globalId);
    const since = await databaseNow(owner);
    expect(await listFor(partner.adviser)).toEqual([]);
    const message = `The data sharing agreement with ${ownerOrg.name} has been revoked: no agreement in force grants care plans to ${partner.name}`;
    expect(expectError(await platform.graphql(partner.adviser, NODE, { id: toGlobalId('CarePlan', arranged.id) }), 'FORBIDDEN').message).toBe(message);
    expect(expectError(await contribute(partner.adviser, toGlobalId('CarePlan', arranged.id)), 'FORBIDDEN').message).toBe(message);
    const events = await auditEventsOf(owner, ownerOrg.id, { outcome: 'DENIED', since });
    expect(events.map((event) => [event.action, event.details.reason])).toEqual([
      ['CARE_PLAN_READ', 'AGREEMENT_REVOKED'],
      ['CARE_PLAN_INPUT_CONTRIBUTED', 'AGREEMENT_REVOKED'],
    ]);
  });
});

describe('statement count', () => {
  let partner: TestUnit;

  beforeAll(async () => {
    const ownerOrg = await createTestUnit(owner, 'cp-count-owner', 'POLICE');
    partner = await createTestUnit(owner, 'cp-count-partner', 'NHS_TRUST');
    const other = await createTestUnit(owner, 'cp-count-owner2', 'FIRE_RESCUE');
    await insertAgreement(owner, ownerOrg.id, partner.id, {
      rules: [
        { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'whatToAvoid', 'agreedResponse'] },
        { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] },
      ],
    });
    await insertAgreement(owner, other.id, partner.id, { rules: [{ resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'] }] });
    for (let index = 0; index < 50; index += 1) {
      const id = await insertPlan(owner, index % 5 === 0 ? other.id : ownerOrg.id, {
        reference: `CP-COUNT-${String(index).padStart(3, '0')}`,
        team: [partner.id],
        inputs: [{ visibility: 'SHARED' }, { visibility: 'INTERNAL' }, { visibility: 'SHARED', kind: 'CARER' }],
      });
      expect(id.reference).toBeDefined();
    }
  }, 60_000);

  async function statementsFor(first: number): Promise<number> {
    const response = await platform.graphql(partner.adviser, LIST, { first });
    expect(response.errors).toBeUndefined();
    const nodes: PlanNode[] = response.data!.carePlansSharedWithUs.edges.map((edge: { node: PlanNode }) => edge.node);
    expect(nodes).toHaveLength(first);
    expect(nodes.every((node) => node.careTeam.length === 2)).toBe(true);
    // Owner's plans: two SHARED inputs; the other owner grants no inputs (null, audited).
    expect(nodes.some((node) => node.inputs?.length === 2)).toBe(true);
    return response.statements as number;
  }

  it('listing 50 shared plans (two owners) with their teams, inputs and sections costs what listing 5 does', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(five).toBeGreaterThan(0);
    expect(fifty).toBe(five);
  });
});
