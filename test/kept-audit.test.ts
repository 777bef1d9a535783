import { POLICE, SOUTHERN_HEALTH, asTenant, demoIds, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * A GraphQL response can be partial: the fields that resolved go out beside the errors, while
 * the request's transaction rolls back. Reads of another organisation's records and exports
 * must be in the owner's log all the same (DPA 2018 s.62), so they are written whatever
 * happens to the operation.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
const clinician: Caller = personas.southernHealth.clinician;
const plan = toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001'));

async function eventsSince(since: Date, action: string): Promise<Array<{ action: string; details: any }>> {
  const { rows } = await asTenant(owner, police, () =>
    owner.query(`select action, details from audit_event where tenant_id = $1 and actor_organisation_id = $2 and action = $3 and occurred_at >= $4`, [
      police,
      southernHealth,
      action,
      since,
    ]),
  );
  return rows;
}

it('logs a partner’s reads even when a sibling field fails and the operation rolls back', async () => {
  const { rows } = await owner.query(`select now() as now`);
  const since: Date = rows[0].now;
  const response = await platform.graphql(clinician, `{ carePlansSharedWithUs(first: 20) { edges { node { id whatHelps inputs { body } } } } bad: carePlan(id: "not-an-id") { id } }`);
  expect(response.errors?.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
  const shared = response.data!.carePlansSharedWithUs.edges.map((edge: any) => edge.node.id);
  expect(shared).toContain(plan);
  const reads = await eventsSince(since, 'CARE_PLAN_READ');
  expect(reads.flatMap((event) => event.details.ids)).toContain(demoIds.carePlan(POLICE, 'CP-HC-0001'));
});

it('logs a partner’s FHIR export even when a sibling field fails', async () => {
  const { rows } = await owner.query(`select now() as now`);
  const since: Date = rows[0].now;
  const response = await platform.graphql(clinician, `query($id: ID!) { exportCarePlanFhir(carePlanId: $id) bad: carePlan(id: "not-an-id") { id } }`, { id: plan });
  expect(response.errors?.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
  expect(response.data!.exportCarePlanFhir.resourceType).toBe('Bundle');
  expect(await eventsSince(since, 'CARE_PLAN_EXPORTED')).toHaveLength(1);
});
