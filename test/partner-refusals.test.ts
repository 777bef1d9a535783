import { randomBytes } from 'node:crypto';
import { stableId } from '../seeds';
import { ukDateOf } from '../src/platform/calendar';
import { POLICE, SOUTHERN_HEALTH, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Refusals of a partner that its own policies hide the record of are still the owner's to
 * know about: each is a DENIED event in the owner's log, found through the owner lookups.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
const clinician: Caller = personas.southernHealth.clinician;
const lead: Caller = personas.police.otherStaff;

async function now(): Promise<Date> {
  return (await owner.query(`select now() as now`)).rows[0].now;
}

async function deniedSince(since: Date, entityId: string): Promise<Array<{ action: string; entity_type: string; details: any }>> {
  const { rows } = await asTenant(owner, police, () =>
    owner.query(
      `select action, entity_type, details from audit_event
        where tenant_id = $1 and actor_organisation_id = $2 and outcome = 'DENIED' and entity_id = $3 and occurred_at >= $4`,
      [police, southernHealth, entityId, since],
    ),
  );
  return rows;
}

it('a police-only note asked for by id: null, and DENIED in police’s log', async () => {
  const since = await now();
  const noteId = stableId('care-plan-note', POLICE, 'CP-HC-0001');
  const response = await platform.graphql(clinician, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('CarePlanInternalNote', noteId) });
  expect(response.errors).toBeUndefined();
  expect(response.data!.node).toBeNull();
  expect(await deniedSince(since, noteId)).toEqual([
    { action: 'CARE_PLAN_INTERNAL_NOTE_READ', entity_type: 'CarePlanInternalNote', details: { reason: 'POLICE_ONLY' } },
  ]);
});

it('removing a member of the owner’s care team: FORBIDDEN, and DENIED in police’s log', async () => {
  const since = await now();
  const memberId = stableId('care-team-member', POLICE, 'CP-HC-0001', SOUTHERN_HEALTH, 'sh-clinician-1');
  const response = await platform.graphql(
    clinician,
    `mutation($input: RemoveCareTeamMemberInput!) { removeCareTeamMember(input: $input) { carePlan { id } } }`,
    { input: { careTeamMemberId: toGlobalId('CareTeamMember', memberId) } },
  );
  expectError(response, 'FORBIDDEN');
  expect(await deniedSince(since, memberId)).toEqual([
    { action: 'CARE_PLAN_CHANGE_REFUSED', entity_type: 'CareTeamMember', details: { reason: 'PARTNERS_DO_NOT_CHANGE_PLANS' } },
  ]);
});

it('contributing to a closed plan: CONFLICT, and DENIED in police’s log', async () => {
  const call = async (caller: Caller, query: string, input: Record<string, unknown>) => {
    const response = await platform.graphql(caller, query, { input });
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const created = await call(lead, `mutation($input: CreateCarePlanInput!) { createCarePlan(input: $input) { carePlan { id } } }`, {
    reference: `CP-REFUSE-${randomBytes(3).toString('hex')}`,
    lawfulBasis: 'DPA 2018 Part 3, s.35',
    subject: { displayName: 'Test Subject' },
  });
  const carePlanId = created.createCarePlan.carePlan.id;
  await call(lead, `mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { careTeamMember { id } } }`, {
    carePlanId,
    organisationId: toGlobalId('Organisation', southernHealth),
    displayName: 'Dr Omar Haddad',
    role: 'Consultant psychiatrist',
  });
  await call(lead, `mutation($input: CloseCarePlanInput!) { closeCarePlan(input: $input) { carePlan { status } } }`, {
    carePlanId,
    reason: 'Moved away',
    retainUntil: ukDateOf(new Date()),
  });
  const since = await now();
  const response = await platform.graphql(
    clinician,
    `mutation($input: ContributeCarePlanInputInput!) { contributeCarePlanInput(input: $input) { input { id } } }`,
    { input: { carePlanId, body: 'Seen in clinic.' } },
  );
  expectError(response, 'CONFLICT');
  const planId = Buffer.from(carePlanId, 'base64url').toString('utf8').split(':')[1];
  expect(await deniedSince(since, planId)).toEqual([
    { action: 'CARE_PLAN_INPUT_CONTRIBUTED', entity_type: 'CarePlan', details: { reason: 'PLAN_CLOSED' } },
  ]);
});
