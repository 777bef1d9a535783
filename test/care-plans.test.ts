import { seedLargeOrganisation } from '../seeds';
import { addDays, ukDateOf } from '../src/platform/calendar';
import {
  FIRE,
  POLICE,
  SOLENT,
  SOUTHERN_HEALTH,
  asTenant,
  demoIds,
  expectError,
  ownerClient,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
  type GraphQLResponse,
} from './support/platform';
import { createAgreement, createTestUnit, databaseIdOf, type TestUnit } from './support/partner-unit';

/*
 * The owner's side of care plans, end to end through the API: Hampshire Constabulary's
 * MILOs create and work plans (sections, status, consent, care team, inputs, police-only
 * notes, closing), every change a new version and an audit event; its auditors read them;
 * the same field resolvers serve a partner clinician (Southern Health) only what its
 * agreement's field scope names.
 *
 * The plans this file changes are its own (created through the API, references CPT-…); the
 * seeded plans, which other files read, are only read here.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const southern = demoIds.organisation(SOUTHERN_HEALTH);
const today = ukDateOf(new Date());
const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
const ref = (name: string) => `CPT-${tag}-${name}`;

const lead: Caller = personas.police.otherStaff;
const milo: Caller = personas.police.milo;
const lapsedMilo: Caller = personas.police.member('hc-milo-19');
const staff: Caller = personas.police.staff;
const admin: Caller = personas.police.admin;
const auditor: Caller = personas.police.auditor;
const fireLead: Caller = personas.fire.lead;
const fireAdmin: Caller = personas.fire.admin;
const clinician: Caller = personas.southernHealth.clinician;
const solentClinician: Caller = personas.solent.clinician;

const SQL = "Robert'); DROP TABLE care_plan; --";
const HTML = '<script>alert("x")</script><b>calm</b>';

const PLAN_FIELDS = `
  id reference status version closedAt anonymisedAt
  presentationAndTriggers whatHelps whatToAvoid agreedResponse contacts
  reviewDueOn reviewOverdue lawfulBasis closureReason retainUntil
  consent { status scope recordedOn }
  leadMilo { id }
  owner { slug }
  careTeam { id displayName role organisation { slug } person { displayName } }
  inputs { id kind visibility authorName carerRelationship body authorOrganisation { slug } }
  internalNotes { id body author { displayName } }
  versions { version changeSummary changedAt changedBy { displayName } snapshot }
`;
const CREATE = `mutation($input: CreateCarePlanInput!) { createCarePlan(input: $input) { carePlan { ${PLAN_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { carePlan { ${PLAN_FIELDS} } } }`;
const CONSENT = `mutation($input: RecordCarePlanConsentInput!) { recordCarePlanConsent(input: $input) { carePlan { version consent { status scope recordedOn } } } }`;
const ADD_MEMBER = `mutation($input: AddCareTeamMemberInput!) {
  addCareTeamMember(input: $input) { careTeamMember { id displayName role organisation { slug } } carePlan { version careTeam { displayName } } }
}`;
const REMOVE_MEMBER = `mutation($input: RemoveCareTeamMemberInput!) {
  removeCareTeamMember(input: $input) { careTeamMember { id removedAt } carePlan { version careTeam { id } } }
}`;
const ADD_INPUT = `mutation($input: AddCarePlanInputInput!) {
  addCarePlanInput(input: $input) { input { id kind visibility body authorName carerRelationship authorOrganisation { slug } } carePlan { version } }
}`;
const ADD_NOTE = `mutation($input: AddCarePlanInternalNoteInput!) { addCarePlanInternalNote(input: $input) { internalNote { id body } carePlan { version } } }`;
const CLOSE = `mutation($input: CloseCarePlanInput!) { closeCarePlan(input: $input) { carePlan { status closedAt closureReason retainUntil version } } }`;
const ANONYMISE = `mutation($input: AnonymiseCarePlanInput!) { anonymiseCarePlan(input: $input) { carePlan { anonymisedAt } } }`;
const ONE = `query($id: ID!) { carePlan(id: $id) { ${PLAN_FIELDS} } }`;
const SUBJECT = `query($id: ID!) { carePlan(id: $id) { reference subject { displayName dateOfBirth nhsNumber localIdentifiers } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id __typename ... on CarePlan { reference } ... on CarePlanInput { body } ... on CareTeamMember { displayName } ... on CarePlanInternalNote { body } } }`;
const LIST = `query($first: Int, $after: String, $filter: CarePlansFilter) {
  carePlans(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id reference status reviewDueOn reviewOverdue leadMilo { id } } }
  }
}`;
const REVIEWS = `query($withinDays: Int, $first: Int) {
  carePlanReviewsDue(withinDays: $withinDays, first: $first) { edges { node { reference status reviewDueOn reviewOverdue } } }
}`;
const EXPORT = `query($id: ID!) { carePlanSubjectAccessExport(carePlanId: $id) }`;

const planId = (id: string) => toGlobalId('CarePlan', id);

function planInput(name: string, overrides: Record<string, unknown> = {}) {
  return {
    reference: ref(name),
    lawfulBasis: 'DPA 2018 Part 3, s.35 and s.42: safeguarding of an individual at risk.',
    presentationAndTriggers: 'Distressed near the railway station after dark.',
    whatHelps: 'A calm voice and a hot drink.',
    reviewDueOn: addDays(today, 20),
    subject: { displayName: 'Morgan Test', dateOfBirth: '1990-04-01', nhsNumber: '943 476 5919', localIdentifiers: 'Niche 12345' },
    ...overrides,
  };
}

async function create(caller: Caller, name: string, overrides: Record<string, unknown> = {}) {
  const response = await platform.graphql(caller, CREATE, { input: planInput(name, overrides) });
  expect(response.errors).toBeUndefined();
  return response.data!.createCarePlan.carePlan as Record<string, any>;
}

async function ok(response: GraphQLResponse) {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** What the owner's database holds for a plan: rows behind the API's back, to show nothing was written. */
async function footprint(tenantId: string, id: string) {
  return asTenant(owner, tenantId, async () => {
    const { rows } = await owner.query(
      `select (select version from care_plan where id = $1) as version,
              (select count(*)::int from care_plan_version where care_plan_id = $1) as versions,
              (select count(*)::int from care_plan_input where care_plan_id = $1) as inputs,
              (select count(*)::int from care_plan_internal_note where care_plan_id = $1) as notes,
              (select count(*)::int from care_team_member where care_plan_id = $1) as team,
              (select count(*)::int from care_plan_subject where care_plan_id = $1) as subjects,
              (select count(*)::int from audit_event where entity_id = $1 or details ->> 'carePlanId' = $1::text) as events`,
      [id],
    );
    return rows[0];
  });
}

/** Events about a plan or any of its inputs, team members and notes, including batched reads naming them. */
async function auditEvents(tenantId: string, planId: string) {
  const { rows } = await asTenant(owner, tenantId, () =>
    owner.query(
      `with records as (
         select $1::uuid as id
         union all select id from care_plan_input where care_plan_id = $1
         union all select id from care_team_member where care_plan_id = $1
         union all select id from care_plan_internal_note where care_plan_id = $1)
       select action, entity_type, entity_id, actor_organisation_id, actor_subject, purpose, outcome, details
         from audit_event
        where entity_id in (select id from records) or details ->> 'carePlanId' = $1::text
           or details -> 'ids' ?| array(select id::text from records)
        order by occurred_at, id`,
      [planId],
    ),
  );
  return rows;
}

describe('creating and working a plan', () => {
  let plan: Record<string, any>;
  let id: string;

  it('a MILO creates a DRAFT plan at version 1, led by themself, with the subject kept apart; audited without free text', async () => {
    plan = await create(milo, 'MAIN', { agreedResponse: SQL, contacts: HTML });
    id = databaseIdOf(plan.id);
    expect(plan).toMatchObject({
      reference: ref('MAIN'),
      status: 'DRAFT',
      version: 1,
      presentationAndTriggers: 'Distressed near the railway station after dark.',
      whatHelps: 'A calm voice and a hot drink.',
      whatToAvoid: null,
      agreedResponse: SQL,
      contacts: HTML,
      reviewDueOn: addDays(today, 20),
      reviewOverdue: false,
      consent: { status: 'NOT_RECORDED', scope: null, recordedOn: null },
      leadMilo: { id: toGlobalId('Milo', demoIds.milo(POLICE, 'hc-milo-01')) },
      owner: { slug: POLICE },
      careTeam: [],
      inputs: [],
      internalNotes: [],
      closureReason: null,
      retainUntil: null,
    });
    expect(plan.versions).toEqual([
      expect.objectContaining({ version: 1, changeSummary: 'Created', changedBy: { displayName: expect.any(String) } }),
    ]);
    expect(plan.versions[0].snapshot).toMatchObject({ reference: ref('MAIN'), status: 'DRAFT', agreed_response: SQL, care_team: [] });
    expect(plan.versions[0].snapshot).not.toHaveProperty('subject');

    const { rows } = await asTenant(owner, police, () =>
      owner.query(`select display_name, nhs_number, local_identifiers from care_plan_subject where care_plan_id = $1`, [id]),
    );
    expect(rows).toEqual([{ display_name: 'Morgan Test', nhs_number: '9434765919', local_identifiers: 'Niche 12345' }]);
    const events = await auditEvents(police, id);
    expect(events).toEqual([
      expect.objectContaining({ action: 'CARE_PLAN_CREATED', entity_type: 'CarePlan', actor_subject: 'hc-milo-01', outcome: 'ALLOWED' }),
    ]);
    expect(events[0].details).toMatchObject({ reference: ref('MAIN'), sections: ['presentationAndTriggers', 'whatHelps', 'agreedResponse', 'contacts'] });
    expect(JSON.stringify(events)).not.toMatch(/railway|hot drink|Morgan|DROP TABLE|script|9434765919/);
  });

  it('reads the subject one plan at a time, and audits every read of it', async () => {
    const response = await platform.graphql(lead, SUBJECT, { id: plan.id });
    expect((await ok(response)).carePlan.subject).toEqual({
      displayName: 'Morgan Test',
      dateOfBirth: '1990-04-01',
      nhsNumber: '9434765919',
      localIdentifiers: 'Niche 12345',
    });
    const reads = (await auditEvents(police, id)).filter((event) => event.action === 'CARE_PLAN_SUBJECT_READ');
    expect(reads).toEqual([expect.objectContaining({ actor_subject: 'hc-staff-2', outcome: 'ALLOWED', entity_id: id })]);

    // Asking for the subjects of a list is refused, whatever the list: no subject goes out.
    const listed = await platform.graphql(lead, `{ carePlans(first: 5) { edges { node { reference subject { displayName } } } } }`);
    expect(listed.errors?.length).toBe(listed.data!.carePlans.edges.length);
    expect(listed.errors!.length).toBeGreaterThanOrEqual(4);
    expect(listed.errors!.every((error) => error.extensions.code === 'FORBIDDEN' && /one plan at a time/.test(error.message))).toBe(true);
    expect(listed.text).not.toMatch(/Alex Morgan|Morgan Test|Sam Patel|Jordan Lee/);
  });

  it('refuses a second plan\'s subject in the same request, and keeps the audit of the first although the operation failed', async () => {
    const seeded = demoIds.carePlan(POLICE, 'CP-HC-0001');
    const response = await platform.graphql(
      lead,
      `query($a: ID!, $b: ID!) { a: carePlan(id: $a) { subject { displayName } } b: carePlan(id: $b) { subject { displayName } } }`,
      { a: plan.id, b: planId(seeded) },
    );
    expectError(response, 'FORBIDDEN');
    expect(response.data?.a.subject.displayName).toBe('Morgan Test');
    expect(response.data?.b.subject).toBeNull();
    const reads = (await auditEvents(police, id)).filter((event) => event.action === 'CARE_PLAN_SUBJECT_READ');
    expect(reads).toHaveLength(2);
    expect((await auditEvents(police, seeded)).filter((event) => event.action === 'CARE_PLAN_SUBJECT_READ' && event.actor_subject === 'hc-staff-2')).toEqual([]);
  });

  it('keeps every change as a version: two updates make versions 1 to 3 with what changed and who', async () => {
    const first = await platform.graphql(milo, UPDATE, {
      input: { carePlanId: plan.id, whatToAvoid: 'Crowding', whatHelps: null, expectedVersion: 1 },
    });
    expect((await ok(first)).updateCarePlan.carePlan).toMatchObject({ version: 2, whatToAvoid: 'Crowding', whatHelps: null, status: 'DRAFT' });

    const second = await platform.graphql(lead, UPDATE, {
      input: { carePlanId: plan.id, status: 'ACTIVE', reviewDueOn: addDays(today, 40), leadMiloId: toGlobalId('Milo', demoIds.milo(POLICE, 'hc-staff-2')) },
    });
    const updated = (await ok(second)).updateCarePlan.carePlan;
    expect(updated).toMatchObject({ version: 3, status: 'ACTIVE', reviewDueOn: addDays(today, 40), whatToAvoid: 'Crowding', agreedResponse: SQL });
    expect(updated.versions.map((version: any) => [version.version, version.changeSummary])).toEqual([
      [1, 'Created'],
      [2, 'Sections changed: what helps, what to avoid'],
      [3, `Status DRAFT → ACTIVE; lead MILO changed; review due ${addDays(today, 40)}`],
    ]);
    const who = updated.versions.map((version: any) => version.changedBy.displayName);
    expect(who[1]).toBe(who[0]);
    expect(who[2]).not.toBe(who[1]);
    expect(updated.versions[1].snapshot).toMatchObject({ what_to_avoid: 'Crowding', what_helps: null, status: 'DRAFT' });
    expect(updated.versions[2].snapshot).toMatchObject({ status: 'ACTIVE', lead_milo_id: demoIds.milo(POLICE, 'hc-staff-2') });

    const events = (await auditEvents(police, id)).filter((event) => event.action === 'CARE_PLAN_UPDATED');
    expect(events.map((event) => event.details)).toEqual([
      expect.objectContaining({ version: 2, fields: ['whatHelps', 'whatToAvoid'] }),
      expect.objectContaining({ version: 3, fields: ['status', 'leadMiloId', 'reviewDueOn'], fromStatus: 'DRAFT', toStatus: 'ACTIVE' }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Crowding/);
  });

  it('refuses an edit of a version that has moved on (CONFLICT), and an update that changes nothing writes nothing', async () => {
    const before = await footprint(police, id);
    expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, whatHelps: 'x', expectedVersion: 1 } }), 'CONFLICT');
    const same = await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, whatToAvoid: 'Crowding' } });
    expect((await ok(same)).updateCarePlan.carePlan.version).toBe(3);
    expect(await footprint(police, id)).toEqual(before);
  });

  it('moves status only DRAFT → ACTIVE → UNDER_REVIEW → ACTIVE; never back to DRAFT, never CLOSED by update', async () => {
    const before = await footprint(police, id);
    const back = expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, status: 'DRAFT' } }), 'BAD_USER_INPUT');
    expect(back.extensions.problems).toEqual([{ field: 'status', message: expect.stringMatching(/ACTIVE plan cannot move to DRAFT; it may move to UNDER_REVIEW/) }]);
    const closing = expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, status: 'CLOSED' } }), 'BAD_USER_INPUT');
    expect(closing.extensions.problems).toEqual([{ field: 'status', message: expect.stringMatching(/closeCarePlan/) }]);
    expect(await footprint(police, id)).toEqual(before);

    const review = await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, status: 'UNDER_REVIEW' } });
    expect((await ok(review)).updateCarePlan.carePlan).toMatchObject({ status: 'UNDER_REVIEW', version: 4 });
    const again = await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, status: 'ACTIVE' } });
    expect((await ok(again)).updateCarePlan.carePlan).toMatchObject({ status: 'ACTIVE', version: 5 });
  });

  it("records the subject's consent with its scope and day, as a new version", async () => {
    const given = await platform.graphql(milo, CONSENT, {
      input: { carePlanId: plan.id, status: 'GIVEN', scope: 'Sharing with the Southern Health team named on the plan.', recordedOn: today },
    });
    expect((await ok(given)).recordCarePlanConsent.carePlan).toEqual({
      version: 6,
      consent: { status: 'GIVEN', scope: 'Sharing with the Southern Health team named on the plan.', recordedOn: today },
    });
    const events = (await auditEvents(police, id)).filter((event) => event.action === 'CARE_PLAN_CONSENT_RECORDED');
    expect(events).toEqual([expect.objectContaining({ details: expect.objectContaining({ fromStatus: 'NOT_RECORDED', toStatus: 'GIVEN', recordedOn: today }) })]);
    expect(JSON.stringify(events)).not.toMatch(/Southern Health team/);

    const before = await footprint(police, id);
    const noScope = expectError(await platform.graphql(milo, CONSENT, { input: { carePlanId: plan.id, status: 'GIVEN', recordedOn: today } }), 'BAD_USER_INPUT');
    expect(noScope.extensions.problems).toEqual([{ field: 'scope', message: expect.any(String) }]);
    const future = expectError(
      await platform.graphql(milo, CONSENT, { input: { carePlanId: plan.id, status: 'REFUSED', recordedOn: addDays(today, 1) } }),
      'BAD_USER_INPUT',
    );
    expect(future.extensions.problems).toEqual([{ field: 'recordedOn', message: 'Must not be in the future' }]);
    const notRecorded = expectError(
      await platform.graphql(milo, CONSENT, { input: { carePlanId: plan.id, status: 'NOT_RECORDED', recordedOn: today } }),
      'BAD_USER_INPUT',
    );
    expect(notRecorded.extensions.problems).toEqual([{ field: 'status', message: 'status must be GIVEN, REFUSED or WITHDRAWN' }]);
    expect(await footprint(police, id)).toEqual(before);
  });

  let partnerMember: string;

  it('adds care team members on behalf of the owner (a person) and of a partner (a name and role), each a version', async () => {
    const own = await platform.graphql(milo, ADD_MEMBER, {
      input: {
        carePlanId: plan.id,
        organisationId: toGlobalId('Organisation', police),
        personId: toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-2')),
        displayName: 'Lead MILO, Southampton',
        role: 'Lead MILO',
      },
    });
    expect((await ok(own)).addCareTeamMember).toMatchObject({
      careTeamMember: { displayName: 'Lead MILO, Southampton', role: 'Lead MILO', organisation: { slug: POLICE } },
      carePlan: { version: 7 },
    });
    const partner = await platform.graphql(milo, ADD_MEMBER, {
      input: { carePlanId: plan.id, organisationId: toGlobalId('Organisation', southern), displayName: 'Dr Omar Haddad', role: 'Consultant psychiatrist' },
    });
    const added = (await ok(partner)).addCareTeamMember;
    partnerMember = added.careTeamMember.id;
    expect(added).toMatchObject({ careTeamMember: { organisation: { slug: SOUTHERN_HEALTH } }, carePlan: { version: 8 } });

    const read = (await ok(await platform.graphql(lead, ONE, { id: plan.id }))).carePlan;
    expect(read.careTeam).toEqual([
      expect.objectContaining({ displayName: 'Lead MILO, Southampton', organisation: { slug: POLICE }, person: { displayName: expect.any(String) } }),
      expect.objectContaining({ displayName: 'Dr Omar Haddad', role: 'Consultant psychiatrist', organisation: { slug: SOUTHERN_HEALTH }, person: null }),
    ]);
    expect(read.versions.at(-1).changeSummary).toMatch(/^Care team: member added on behalf of Southern Health/);
    expect(read.versions.at(-1).snapshot.care_team).toHaveLength(2);
    const { rows } = await asTenant(owner, police, () => owner.query(`select care_team_organisation_ids from care_plan where id = $1`, [id]));
    expect([...rows[0].care_team_organisation_ids].sort()).toEqual([police, southern].sort());
  });

  it("refuses a partner member with a person id, an organisation it does not share care plans with, and a person of another organisation", async () => {
    const before = await footprint(police, id);
    const withPerson = expectError(
      await platform.graphql(milo, ADD_MEMBER, {
        input: {
          carePlanId: plan.id,
          organisationId: toGlobalId('Organisation', southern),
          personId: toGlobalId('Person', demoIds.person(SOUTHERN_HEALTH, 'sh-clinician-2')),
          displayName: 'Beth Carter',
          role: 'Nurse',
        },
      }),
      'BAD_USER_INPUT',
    );
    expect(withPerson.extensions.problems).toEqual([{ field: 'personId', message: expect.stringMatching(/partner's member/) }]);
    // Police shares referrals with the occupational-health unit, but no care plans.
    const notShared = expectError(
      await platform.graphql(milo, ADD_MEMBER, {
        input: { carePlanId: plan.id, organisationId: toGlobalId('Organisation', demoIds.organisation('hiow-occupational-health')), displayName: 'OH', role: 'Adviser' },
      }),
      'BAD_USER_INPUT',
    );
    expect(notShared.extensions.problems).toEqual([{ field: 'organisationId', message: expect.stringMatching(/No data sharing agreement in force shares care plans/) }]);
    const foreignPerson = expectError(
      await platform.graphql(milo, ADD_MEMBER, {
        input: {
          carePlanId: plan.id,
          organisationId: toGlobalId('Organisation', police),
          personId: toGlobalId('Person', demoIds.person(FIRE, 'hfrs-lead-01')),
          displayName: 'Someone',
          role: 'MILO',
        },
      }),
      'BAD_USER_INPUT',
    );
    expect(foreignPerson.extensions.problems).toEqual([{ field: 'personId', message: 'Not a person of your organisation' }]);
    const twice = await platform.graphql(milo, ADD_MEMBER, {
      input: {
        carePlanId: plan.id,
        organisationId: toGlobalId('Organisation', police),
        personId: toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-2')),
        displayName: 'Again',
        role: 'Lead MILO',
      },
    });
    expectError(twice, 'CONFLICT');
    expect(await footprint(police, id)).toEqual(before);
  });

  let sharedInput: string;
  let internalInput: string;
  let note: string;

  it("adds MILO inputs (SHARED, INTERNAL) and a carer's input recorded by a MILO, kept verbatim and audited without their text", async () => {
    const shared = (await ok(await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'MILO', visibility: 'SHARED', body: `Seen twice. ${HTML}` } })))
      .addCarePlanInput;
    sharedInput = shared.input.id;
    expect(shared).toMatchObject({
      input: { kind: 'MILO', visibility: 'SHARED', body: `Seen twice. ${HTML}`, carerRelationship: null, authorOrganisation: { slug: POLICE } },
      carePlan: { version: 8 },
    });
    internalInput = (await ok(await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'MILO', visibility: 'INTERNAL', body: SQL } })))
      .addCarePlanInput.input.id;
    const carer = (
      await ok(
        await platform.graphql(lead, ADD_INPUT, {
          input: { carePlanId: plan.id, kind: 'CARER', visibility: 'SHARED', body: 'Calls his sister when unsettled.', carerRelationship: 'Sister' },
        }),
      )
    ).addCarePlanInput.input;
    expect(carer).toMatchObject({ kind: 'CARER', carerRelationship: 'Sister', authorName: expect.any(String) });
    note = (await ok(await platform.graphql(milo, ADD_NOTE, { input: { carePlanId: plan.id, body: 'PNC check: no markers.' } }))).addCarePlanInternalNote
      .internalNote.id;

    const read = (await ok(await platform.graphql(auditor, ONE, { id: plan.id }))).carePlan;
    expect(read.inputs.map((input: any) => [input.kind, input.visibility, input.body])).toEqual([
      ['MILO', 'SHARED', `Seen twice. ${HTML}`],
      ['MILO', 'INTERNAL', SQL],
      ['CARER', 'SHARED', 'Calls his sister when unsettled.'],
    ]);
    expect(read.internalNotes).toEqual([{ id: note, body: 'PNC check: no markers.', author: { displayName: expect.any(String) } }]);
    expect(read.version).toBe(8);
    const events = (await auditEvents(police, id)).filter((event) => ['CARE_PLAN_INPUT_ADDED', 'CARE_PLAN_INTERNAL_NOTE_ADDED'].includes(event.action));
    expect(events.map((event) => [event.action, event.details.kind ?? null, event.details.visibility ?? null])).toEqual([
      ['CARE_PLAN_INPUT_ADDED', 'MILO', 'SHARED'],
      ['CARE_PLAN_INPUT_ADDED', 'MILO', 'INTERNAL'],
      ['CARE_PLAN_INPUT_ADDED', 'CARER', 'SHARED'],
      ['CARE_PLAN_INTERNAL_NOTE_ADDED', null, null],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Seen twice|DROP TABLE|sister|PNC/);
  });

  it("refuses a carer's input without the relationship, a relationship on a MILO input, and PARTNER inputs by the owner", async () => {
    const before = await footprint(police, id);
    const noRelationship = expectError(
      await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'CARER', visibility: 'SHARED', body: 'x' } }),
      'BAD_USER_INPUT',
    );
    expect(noRelationship.extensions.problems).toEqual([{ field: 'carerRelationship', message: 'Required for CARER' }]);
    expectError(
      await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'MILO', visibility: 'SHARED', body: 'x', carerRelationship: 'Mother' } }),
      'BAD_USER_INPUT',
    );
    const partnerKind = expectError(
      await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'PARTNER', visibility: 'SHARED', body: 'x' } }),
      'BAD_USER_INPUT',
    );
    expect(partnerKind.extensions.problems).toEqual([{ field: 'kind', message: 'kind must be MILO or CARER' }]);
    expect(await footprint(police, id)).toEqual(before);
  });

  it("serves a partner on the care team only its agreement's scope: sections, SHARED inputs, no notes, history, lead or subject; audited in the owner's log", async () => {
    const response = await platform.graphql(clinician, ONE, { id: plan.id });
    const seen = (await ok(response)).carePlan;
    expect(seen).toMatchObject({
      reference: ref('MAIN'),
      status: 'ACTIVE',
      whatToAvoid: 'Crowding',
      agreedResponse: SQL,
      contacts: HTML,
      reviewDueOn: addDays(today, 40),
      consent: { status: 'GIVEN' },
      owner: { slug: POLICE },
      leadMilo: null,
      internalNotes: null,
      versions: null,
      closureReason: null,
      retainUntil: null,
    });
    expect(seen.inputs.map((input: any) => input.id)).not.toContain(internalInput);
    expect(seen.inputs.map((input: any) => input.visibility)).toEqual(['SHARED', 'SHARED']);
    expect(seen.inputs.map((input: any) => input.id)).toContain(sharedInput);
    expect(seen.careTeam.map((member: any) => member.organisation.slug)).toEqual([POLICE, SOUTHERN_HEALTH]);
    // The clinician's own people are theirs to see; the owner's are not.
    expect(seen.careTeam.map((member: any) => member.person)).toEqual([null, null]);

    const events = await auditEvents(police, id);
    const reads = events.filter((event) => event.actor_organisation_id === southern && event.outcome === 'ALLOWED');
    expect([...new Set(reads.map((event) => event.action))].sort()).toEqual(['CARE_PLAN_INPUT_READ', 'CARE_PLAN_READ']);
    expect(reads.every((event) => event.purpose?.startsWith('Coordinating the police response'))).toBe(true);
    const inputsRead = reads.filter((event) => event.action === 'CARE_PLAN_INPUT_READ').flatMap((event) => event.details.ids);
    expect(inputsRead.sort()).toEqual(seen.inputs.map((input: any) => databaseIdOf(input.id)).sort());
    // Asking for owner-only fields is refused field by field, and each refusal is in the owner's log.
    const refused = events.filter((event) => event.actor_organisation_id === southern && event.outcome === 'DENIED');
    expect(refused.every((event) => event.action === 'CARE_PLAN_READ' && event.details.reason === 'FIELD_OUTSIDE_SCOPE')).toBe(true);
    expect([...new Set(refused.flatMap((event) => event.details.fields))].sort()).toEqual(['closureReason', 'internalNotes', 'leadMilo', 'retainUntil', 'versions']);

    const subject = await platform.graphql(clinician, SUBJECT, { id: plan.id });
    expect((await ok(subject)).carePlan.subject).toBeNull();
  });

  it('keeps the plan from a partner not on its care team (Solent): FORBIDDEN with the reason, audited', async () => {
    const response = await platform.graphql(solentClinician, ONE, { id: plan.id });
    expect(response.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const denied = (await auditEvents(police, id)).filter((event) => event.actor_organisation_id === demoIds.organisation(SOLENT));
    expect(denied).toEqual([expect.objectContaining({ action: 'CARE_PLAN_READ', outcome: 'DENIED' })]);
  });

  it('gets plans, inputs, team members and notes again by node(id:), for the owner only', async () => {
    const ids = [plan.id, sharedInput, internalInput, partnerMember, note];
    for (const nodeId of ids) {
      const response = await platform.graphql(auditor, NODE, { id: nodeId });
      expect((await ok(response)).node).toEqual(expect.objectContaining({ id: nodeId }));
    }
    for (const nodeId of ids) {
      expect((await ok(await platform.graphql(fireLead, NODE, { id: nodeId }))).node).toBeNull();
      expectError(await platform.graphql(staff, NODE, { id: nodeId }), 'FORBIDDEN');
    }
    // The partner gets what it may read, and is told (and audited) for the internal input and note.
    expect((await ok(await platform.graphql(clinician, NODE, { id: sharedInput }))).node).toMatchObject({ __typename: 'CarePlanInput' });
    expect((await ok(await platform.graphql(clinician, NODE, { id: partnerMember }))).node).toMatchObject({ __typename: 'CareTeamMember' });
    expectError(await platform.graphql(clinician, NODE, { id: internalInput }), 'FORBIDDEN');
    expect((await ok(await platform.graphql(clinician, NODE, { id: note }))).node).toBeNull();
  });

  it('removes a care team member as a new version, which closes the plan to that partner', async () => {
    const removed = (await ok(await platform.graphql(milo, REMOVE_MEMBER, { input: { careTeamMemberId: partnerMember } }))).removeCareTeamMember;
    expect(removed.careTeamMember.removedAt).not.toBeNull();
    expect(removed.carePlan).toMatchObject({ version: 9, careTeam: [expect.anything()] });
    expectError(await platform.graphql(milo, REMOVE_MEMBER, { input: { careTeamMemberId: partnerMember } }), 'CONFLICT');
    expectError(await platform.graphql(clinician, ONE, { id: plan.id }), 'FORBIDDEN');
  });

  it('closes a plan with a reason and how long it is kept; a closed plan no longer changes', async () => {
    const before = await footprint(police, id);
    const past = expectError(
      await platform.graphql(milo, CLOSE, { input: { carePlanId: plan.id, reason: 'Moved away', retainUntil: addDays(today, -1) } }),
      'BAD_USER_INPUT',
    );
    expect(past.extensions.problems).toEqual([{ field: 'retainUntil', message: 'Must be today or later' }]);
    expect(await footprint(police, id)).toEqual(before);

    const closed = (await ok(await platform.graphql(milo, CLOSE, { input: { carePlanId: plan.id, reason: 'Moved out of the force area', retainUntil: addDays(today, 365) } })))
      .closeCarePlan.carePlan;
    expect(closed).toMatchObject({ status: 'CLOSED', closureReason: 'Moved out of the force area', retainUntil: addDays(today, 365), version: 10 });
    expect(closed.closedAt).not.toBeNull();
    const event = (await auditEvents(police, id)).find((row) => row.action === 'CARE_PLAN_CLOSED');
    expect(event.details).toMatchObject({ fromStatus: 'ACTIVE', retainUntil: addDays(today, 365), fields: ['status', 'closureReason', 'retainUntil'] });
    expect(JSON.stringify(event)).not.toMatch(/Moved/);

    const after = await footprint(police, id);
    expectError(await platform.graphql(milo, CLOSE, { input: { carePlanId: plan.id, reason: 'Again', retainUntil: today } }), 'CONFLICT');
    expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, whatHelps: 'x' } }), 'CONFLICT');
    expectError(await platform.graphql(milo, ADD_INPUT, { input: { carePlanId: plan.id, kind: 'MILO', visibility: 'SHARED', body: 'x' } }), 'CONFLICT');
    expectError(await platform.graphql(milo, ADD_NOTE, { input: { carePlanId: plan.id, body: 'x' } }), 'CONFLICT');
    expect(await footprint(police, id)).toEqual(after);
    // Anonymising waits for the end of the retention.
    const early = expectError(await platform.graphql(admin, ANONYMISE, { input: { carePlanId: plan.id } }), 'CONFLICT');
    expect(early.message).toMatch(/kept until .*; it can be anonymised from the day after/);
  });
});

describe('a partner whose agreement names subjectIdentity, and grants no inputs', () => {
  /*
   * A throwaway NHS trust with an agreement of police's own making (scope: whatHelps and
   * subjectIdentity; CARE_PLAN READ only, no CARE_PLAN_INPUT rule), so no seeded agreement changes.
   */
  let trust: TestUnit;
  let agreementPurpose: string;
  let plan: Record<string, any>;
  let id: string;

  beforeAll(async () => {
    trust = await createTestUnit(owner, 'care-subject', 'NHS_TRUST');
    const agreement = await createAgreement(
      platform,
      admin,
      trust.id,
      [{ resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'subjectIdentity'] }],
      'Identifying the subject for the liaison and diversion team',
    );
    agreementPurpose = agreement.purpose;
    plan = await create(lead, 'SUBJ');
    id = databaseIdOf(plan.id);
    const added = await platform.graphql(lead, ADD_MEMBER, {
      input: { carePlanId: plan.id, organisationId: trust.globalId, displayName: 'Liaison nurse', role: 'Liaison and diversion' },
    });
    expect(added.errors).toBeUndefined();
  });

  it("reads the subject of one plan, audited in the owner's log with the agreement's purpose; nothing outside its scope", async () => {
    const response = await platform.graphql(
      trust.adviser,
      `query($id: ID!) { carePlan(id: $id) { reference whatHelps whatToAvoid presentationAndTriggers reviewDueOn consent { status } inputs { body } subject { displayName nhsNumber } } }`,
      { id: plan.id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.carePlan).toEqual({
      reference: ref('SUBJ'),
      whatHelps: 'A calm voice and a hot drink.',
      whatToAvoid: null,
      presentationAndTriggers: null,
      reviewDueOn: null,
      consent: null,
      inputs: null,
      subject: { displayName: 'Morgan Test', nhsNumber: '9434765919' },
    });
    const events = await auditEvents(police, id);
    const reads = events.filter((event) => event.actor_organisation_id === trust.id && event.outcome === 'ALLOWED');
    expect(reads.map((event) => event.action).sort()).toEqual(['CARE_PLAN_READ', 'CARE_PLAN_SUBJECT_READ']);
    expect(reads.every((event) => event.purpose === agreementPurpose)).toBe(true);
    const refused = events.filter((event) => event.actor_organisation_id === trust.id && event.outcome === 'DENIED');
    expect([...new Set(refused.flatMap((event) => event.details.fields))].sort()).toEqual([
      'consent',
      'inputs',
      'presentationAndTriggers',
      'reviewDueOn',
      'whatToAvoid',
    ]);
  });

  it('takes the same plan asked for twice as one plan, and is refused (and audited) a plan whose team it is not on', async () => {
    const response = await platform.graphql(
      trust.adviser,
      `query($a: ID!, $b: ID!) { a: carePlan(id: $a) { subject { displayName } } b: carePlan(id: $b) { subject { displayName } } }`,
      { a: plan.id, b: plan.id },
    );
    // The same plan twice is one plan.
    expect(response.errors).toBeUndefined();
    const seeded = await platform.graphql(trust.adviser, ONE, { id: planId(demoIds.carePlan(POLICE, 'CP-HC-0001')) });
    // Not on that plan's care team: refused, with the reason, and audited.
    expect(seeded.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('malformed input is refused with the fields named, and nothing is written', () => {
  async function plansWithTag(): Promise<number> {
    const { rows } = await asTenant(owner, police, () => owner.query(`select count(*)::int as n from care_plan where reference like $1`, [`CPT-${tag}-BAD%`]));
    return rows[0].n;
  }

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a reference with spaces', { reference: 'CP HC 1' }, 'reference'],
    ['a reference starting with a dash', { reference: '-CP1' }, 'reference'],
    ['a reference over 40 characters', { reference: `CPT-${tag}-BAD-${'X'.repeat(40)}` }, 'reference'],
    ['a 100 KB section', { whatHelps: 'x'.repeat(100_000) }, 'whatHelps'],
    ['a NUL in a section', { whatToAvoid: 'before\u0000after' }, 'whatToAvoid'],
    ['a blank lawful basis', { lawfulBasis: '   ' }, 'lawfulBasis'],
    ['a wrong NHS check digit', { subject: { displayName: 'X', nhsNumber: '9434765918' } }, 'subject.nhsNumber'],
    ['an NHS number of nine digits', { subject: { displayName: 'X', nhsNumber: '943476591' } }, 'subject.nhsNumber'],
    ['a blank subject name', { subject: { displayName: ' ' } }, 'subject.displayName'],
    ['a birth date in the future', { subject: { displayName: 'X', dateOfBirth: addDays(today, 2) } }, 'subject.dateOfBirth'],
    ['a review date in the past', { reviewDueOn: addDays(today, -1) }, 'reviewDueOn'],
    ['a lead MILO who is lapsed', { leadMiloId: toGlobalId('Milo', demoIds.milo(POLICE, 'hc-milo-19')) }, 'leadMiloId'],
    ["a lead MILO of another organisation", { leadMiloId: toGlobalId('Milo', demoIds.milo(FIRE, 'hfrs-lead-01')) }, 'leadMiloId'],
  ];

  it.each(cases)('refuses %s', async (_what, overrides, field) => {
    const before = await plansWithTag();
    const response = await platform.graphql(milo, CREATE, { input: planInput('BAD', overrides) });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain(field);
    expect(await plansWithTag()).toBe(before);
  });

  it('refuses a reference already used in the organisation (CONFLICT)', async () => {
    const response = await platform.graphql(milo, CREATE, { input: planInput('X', { reference: 'CP-HC-0001' }) });
    expect(expectError(response, 'CONFLICT').message).toMatch(/CP-HC-0001/);
  });

  it('refuses the same bad input on update and on a section of 4001 characters, writing nothing', async () => {
    const plan = await create(milo, 'UPD');
    const id = databaseIdOf(plan.id);
    const before = await footprint(police, id);
    for (const input of [
      { whatHelps: 'x'.repeat(4001) },
      { contacts: 'a\u0000b' },
      { lawfulBasis: null },
      { reviewDueOn: addDays(today, -3) },
      { status: null },
    ]) {
      expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: plan.id, ...input } }), 'BAD_USER_INPUT');
    }
    expectError(await platform.graphql(milo, UPDATE, { input: { carePlanId: toGlobalId('Milo', id), whatHelps: 'x' } }), 'BAD_USER_INPUT');
    expect(await footprint(police, id)).toEqual(before);
  });
});

describe('who may', () => {
  let plan: Record<string, any>;
  let id: string;

  beforeAll(async () => {
    plan = await create(lead, 'WHO');
    id = databaseIdOf(plan.id);
  });

  const mutations = (carePlanId: string): Array<[string, string, Record<string, unknown>]> => [
    ['updateCarePlan', UPDATE, { carePlanId, whatHelps: 'Changed' }],
    ['recordCarePlanConsent', CONSENT, { carePlanId, status: 'REFUSED', recordedOn: today }],
    ['addCareTeamMember', ADD_MEMBER, { carePlanId, organisationId: toGlobalId('Organisation', police), displayName: 'X', role: 'MILO' }],
    ['addCarePlanInput', ADD_INPUT, { carePlanId, kind: 'MILO', visibility: 'SHARED', body: 'x' }],
    ['addCarePlanInternalNote', ADD_NOTE, { carePlanId, body: 'x' }],
    ['closeCarePlan', CLOSE, { carePlanId, reason: 'x', retainUntil: today }],
  ];

  it("another organisation (fire) finds nothing: null for every query and node, NOT_FOUND for every mutation, nothing written", async () => {
    const before = await footprint(police, id);
    expect((await ok(await platform.graphql(fireLead, ONE, { id: plan.id }))).carePlan).toBeNull();
    expect((await ok(await platform.graphql(fireLead, NODE, { id: plan.id }))).node).toBeNull();
    const listed = (await ok(await platform.graphql(fireLead, LIST, { first: 100 }))).carePlans.edges.map((edge: any) => edge.node.reference);
    expect(listed).toContain('CP-HFRS-0001');
    expect(listed.filter((reference: string) => reference.startsWith('CP-HC') || reference.startsWith('CPT-'))).toEqual([]);
    for (const [name, mutation, input] of mutations(plan.id)) {
      const response = await platform.graphql(fireLead, mutation, { input });
      expect({ name, code: response.errors?.[0].extensions.code }).toEqual({ name, code: 'NOT_FOUND' });
    }
    expectError(await platform.graphql(fireAdmin, ANONYMISE, { input: { carePlanId: plan.id } }), 'NOT_FOUND');
    expectError(
      await platform.graphql(personas.fire.auditor, EXPORT, { id: plan.id }),
      'NOT_FOUND',
    );
    expect(await footprint(police, id)).toEqual(before);
  });

  it('staff without an ACTIVE membership, and a lapsed MILO, are FORBIDDEN everything; nothing written', async () => {
    const before = await footprint(police, id);
    for (const caller of [staff, lapsedMilo]) {
      expectError(await platform.graphql(caller, LIST, { first: 5 }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, REVIEWS, { withinDays: 10 }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, ONE, { id: plan.id }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, NODE, { id: plan.id }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, CREATE, { input: planInput(`NO-${caller.subject}`) }), 'FORBIDDEN');
      for (const [name, mutation, input] of mutations(plan.id)) {
        const response = await platform.graphql(caller, mutation, { input });
        expect({ name, code: response.errors?.[0].extensions.code }).toEqual({ name, code: 'FORBIDDEN' });
      }
    }
    expect(await footprint(police, id)).toEqual(before);
  });

  it('a scheme admin without a membership cannot read plans or their sections', async () => {
    expectError(await platform.graphql(admin, LIST, { first: 5 }), 'FORBIDDEN');
    expectError(await platform.graphql(admin, ONE, { id: plan.id }), 'FORBIDDEN');
    expectError(await platform.graphql(admin, `query($id: ID!) { carePlan(id: $id) { whatHelps } }`, { id: plan.id }), 'FORBIDDEN');
    expectError(await platform.graphql(admin, UPDATE, { input: { carePlanId: plan.id, whatHelps: 'x' } }), 'FORBIDDEN');
    // Anonymising is theirs, and its payload shows no section either.
    const early = await platform.graphql(admin, `mutation($input: AnonymiseCarePlanInput!) { anonymiseCarePlan(input: $input) { carePlan { whatHelps } } }`, {
      input: { carePlanId: plan.id },
    });
    expect(expectError(early, 'CONFLICT').message).toMatch(/Only a closed care plan/);
  });

  it('an auditor reads plans but changes nothing', async () => {
    expect((await ok(await platform.graphql(auditor, ONE, { id: plan.id }))).carePlan.whatHelps).toBe('A calm voice and a hot drink.');
    expectError(await platform.graphql(auditor, UPDATE, { input: { carePlanId: plan.id, whatHelps: 'x' } }), 'FORBIDDEN');
  });

  it("a partner user trying to change the owner's plan is FORBIDDEN, and the attempt is in the owner's log", async () => {
    const before = await footprint(police, id);
    expectError(await platform.graphql(clinician, UPDATE, { input: { carePlanId: plan.id, whatHelps: 'Partner edit' } }), 'FORBIDDEN');
    const after = await footprint(police, id);
    expect({ ...after, events: before.events }).toEqual(before);
    const denied = (await auditEvents(police, id)).filter((event) => event.outcome === 'DENIED');
    expect(denied).toEqual([
      expect.objectContaining({ action: 'CARE_PLAN_CHANGE_REFUSED', actor_organisation_id: southern, details: { reason: 'PARTNERS_DO_NOT_CHANGE_PLANS' } }),
    ]);
  });
});

describe("the owner's lists", () => {
  it('lists its own plans by reference, filtered by status, lead and overdue review, in keyset pages', async () => {
    const all = (await ok(await platform.graphql(lead, LIST, { first: 100 }))).carePlans;
    const references = all.edges.map((edge: any) => edge.node.reference);
    expect(references).toEqual(expect.arrayContaining(['CP-HC-0001', 'CP-HC-0002', 'CP-HC-0003']));
    expect(references).toEqual([...references].sort());
    expect(references).not.toContain('CP-HFRS-0001');

    const overdue = (await ok(await platform.graphql(lead, LIST, { first: 100, filter: { reviewOverdue: true } }))).carePlans.edges.map((edge: any) => edge.node);
    expect(overdue.map((node: any) => node.reference)).toContain('CP-HC-0002');
    expect(overdue.every((node: any) => node.reviewOverdue === true)).toBe(true);
    const notOverdue = (await ok(await platform.graphql(lead, LIST, { first: 100, filter: { reviewOverdue: false } }))).carePlans.edges.map((edge: any) => edge.node);
    expect(notOverdue.map((node: any) => node.reference)).toEqual(expect.arrayContaining(['CP-HC-0001', 'CP-HC-0003']));
    expect(notOverdue.some((node: any) => node.reviewOverdue)).toBe(false);

    const drafts = (await ok(await platform.graphql(lead, LIST, { first: 100, filter: { status: 'DRAFT' } }))).carePlans.edges.map((edge: any) => edge.node);
    expect(drafts.map((node: any) => node.reference)).toContain('CP-HC-0003');
    expect(drafts.every((node: any) => node.status === 'DRAFT')).toBe(true);

    const ledBy = toGlobalId('Milo', demoIds.milo(POLICE, 'hc-lead-01'));
    const led = (await ok(await platform.graphql(auditor, LIST, { first: 100, filter: { leadMiloId: ledBy } }))).carePlans.edges;
    expect(led.map((edge: any) => edge.node.reference)).toContain('CP-HC-0002');
    expect(led.every((edge: any) => edge.node.leadMilo.id === ledBy)).toBe(true);

    const page1 = (await ok(await platform.graphql(lead, LIST, { first: 2 }))).carePlans;
    const page2 = (await ok(await platform.graphql(lead, LIST, { first: 2, after: page1.pageInfo.endCursor }))).carePlans;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect([...page1.edges, ...page2.edges].map((edge: any) => edge.node.reference)).toEqual(references.slice(0, 4));
  });

  it("never reads who the plans are about to list them (the subjects' table locked away meanwhile)", async () => {
    const locker = await ownerClient();
    try {
      await locker.query('begin');
      await locker.query('lock table care_plan_subject in access exclusive mode');
      const started = Date.now();
      const response = await platform.graphql(
        lead,
        `{ carePlans(first: 50) { totalCount edges { node { reference whatHelps consent { status } careTeam { displayName } inputs { body } versions { version } } } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });

  it('lists reviews overdue or due within N days, soonest first, for plans being worked', async () => {
    const within40 = (await ok(await platform.graphql(lead, REVIEWS, { withinDays: 40, first: 100 }))).carePlanReviewsDue.edges.map((edge: any) => edge.node);
    const references = within40.map((node: any) => node.reference);
    expect(references).toEqual(expect.arrayContaining(['CP-HC-0001', 'CP-HC-0002']));
    expect(references).not.toContain('CP-HC-0003');
    expect(references.indexOf('CP-HC-0002')).toBeLessThan(references.indexOf('CP-HC-0001'));
    const dates = within40.map((node: any) => node.reviewDueOn);
    expect(dates).toEqual([...dates].sort());
    expect(within40.every((node: any) => ['ACTIVE', 'UNDER_REVIEW'].includes(node.status) && node.reviewDueOn <= addDays(today, 40))).toBe(true);
    expect(within40.find((node: any) => node.reference === 'CP-HC-0002').reviewOverdue).toBe(true);

    const within10 = (await ok(await platform.graphql(lead, REVIEWS, { withinDays: 10, first: 100 }))).carePlanReviewsDue.edges.map((edge: any) => edge.node.reference);
    expect(within10).toContain('CP-HC-0002');
    expect(within10).not.toContain('CP-HC-0001');

    const page1 = (await ok(await platform.graphql(lead, `{ carePlanReviewsDue(withinDays: 40, first: 1) { pageInfo { endCursor } edges { node { reference } } } }`)))
      .carePlanReviewsDue;
    const page2 = (
      await ok(
        await platform.graphql(lead, `query($after: String) { carePlanReviewsDue(withinDays: 40, first: 1, after: $after) { edges { node { reference } } } }`, {
          after: page1.pageInfo.endCursor,
        }),
      )
    ).carePlanReviewsDue;
    expect([page1.edges[0].node.reference, page2.edges[0].node.reference]).toEqual(references.slice(0, 2));

    expectError(await platform.graphql(lead, REVIEWS, { withinDays: -1 }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(lead, REVIEWS, { withinDays: 400 }), 'BAD_USER_INPUT');
  });
});

describe('statement count', () => {
  const slug = `care-plan-count-${Date.now()}`;
  let tenantId: string;
  const countLead: Caller = { organisation: slug, roles: ['STAFF'], subject: 'person-1' };

  beforeAll(async () => {
    tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Care Plan Count Constabulary', people: 5 });
    await asTenant(owner, tenantId, async () => {
      const { rows } = await owner.query(
        `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, capacity)
         select $1, scheme.id, person.id, 'LEAD_MILO', 'ACTIVE', '2025-01-01', 'Testing', 10
           from scheme, person where scheme.tenant_id = $1 and person.tenant_id = $1 and person.subject = 'person-1'
         returning id, person_id`,
        [tenantId],
      );
      const [{ id: miloId, person_id: personId }] = rows;
      // 50 plans, each with a subject, two team members (own and partner), three inputs, a note and a version.
      await owner.query(
        `insert into care_plan (tenant_id, reference, status, lead_milo_id, review_due_on, lawful_basis, what_helps, agreed_response)
         select $1, 'CNT-' || lpad(n::text, 3, '0'), 'ACTIVE', $2, current_date + n, 'DPA 2018 s.35', 'Helps ' || n, 'Respond ' || n
           from generate_series(1, 50) n`,
        [tenantId, miloId],
      );
      await owner.query(
        `insert into care_plan_subject (tenant_id, care_plan_id, display_name) select tenant_id, id, 'Subject ' || reference from care_plan where tenant_id = $1`,
        [tenantId],
      );
      await owner.query(
        `insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, member_person_id, display_name, role)
         select tenant_id, id, $1::uuid, $2::uuid, 'Lead', 'Lead MILO' from care_plan where tenant_id = $1::uuid
         union all select tenant_id, id, $3::uuid, null, 'Nurse', 'CMHN' from care_plan where tenant_id = $1::uuid`,
        [tenantId, personId, southern],
      );
      await owner.query(
        `insert into care_plan_input (tenant_id, care_plan_id, author_organisation_id, author_person_id, author_name, kind, carer_relationship, body, visibility)
         select plan.tenant_id, plan.id, $1, $2, 'Lead', kind, case when kind = 'CARER' then 'Mother' end, 'Input ' || kind, visibility
           from care_plan plan, (values ('MILO', 'SHARED'), ('MILO', 'INTERNAL'), ('CARER', 'SHARED')) as v(kind, visibility)
          where plan.tenant_id = $1`,
        [tenantId, personId],
      );
      await owner.query(
        `insert into care_plan_internal_note (tenant_id, care_plan_id, body, author_person_id) select tenant_id, id, 'Note', $2 from care_plan where tenant_id = $1`,
        [tenantId, personId],
      );
      await owner.query(
        `insert into care_plan_version (tenant_id, care_plan_id, version, snapshot, change_summary, changed_by)
         select tenant_id, id, 1, '{}', 'Created', $2 from care_plan where tenant_id = $1`,
        [tenantId, personId],
      );
    });
  });

  const NESTED = `query($first: Int!) {
    carePlans(first: $first) {
      totalCount
      edges { node {
        reference status version presentationAndTriggers whatHelps whatToAvoid agreedResponse contacts
        reviewDueOn reviewOverdue lawfulBasis consent { status scope recordedOn }
        leadMilo { id capacity } owner { name }
        careTeam { displayName role organisation { name } person { displayName } }
        inputs { kind visibility body authorOrganisation { name } }
        internalNotes { body author { displayName } }
        versions { version changeSummary changedBy { displayName } }
      } }
    }
  }`;

  async function statementsFor(first: number): Promise<number> {
    const response = await platform.graphql(countLead, NESTED, { first });
    expect(response.errors).toBeUndefined();
    const edges = response.data!.carePlans.edges;
    expect(edges).toHaveLength(first);
    expect(edges[first - 1].node.careTeam).toHaveLength(2);
    expect(edges[first - 1].node.inputs).toHaveLength(3);
    expect(edges[first - 1].node.internalNotes).toHaveLength(1);
    return response.statements as number;
  }

  it('costs the same number of SQL statements for 10 plans with their sections, team and inputs as for 50', async () => {
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);
    expect(ten).toBeGreaterThan(0);
    expect(fifty).toBe(ten);
    // eslint-disable-next-line no-console
    console.log(`carePlans(first: 10) and (first: 50), nested: ${ten} and ${fifty} SQL statements`);
  });
});
