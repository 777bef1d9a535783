import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { asTenant, toGlobalId, usePlatform, type Caller } from './support/platform';
import { auditEventsOf, databaseNow, insertAgreement, insertPlan } from './support/partner-care-plans';
import {
  addPerson,
  appClient,
  arrangePartnerWorld,
  asApp,
  createOrganisation,
  refusalOf,
  type PartnerWorld,
  type RefusedType,
} from './support/partner-world';

/*
 * An organisation with no agreement in force with an owner, its user claiming (and holding)
 * PARTNER, probing the owner's ids: it must learn nothing, neither that a record exists nor
 * whose it is, and must not be able to write into the owner's audit log. Every answer is
 * the answer an id that is nothing gets (null from node(id:), NOT_FOUND from mutations, the
 * same message and the same cost in SQL statements), the owner's log gains nothing, and its
 * own log holds the same event either way, so its own data protection officer sees probing.
 * The database says the same on its own: the owner lookups answer null, and the policy
 * actor_insert refuses an event in the owner's log.
 */

const NODE = `query($id: ID!) { node(id: $id) { id } }`;
const TYPES: RefusedType[] = [
  'CarePlan',
  'CarePlanInput',
  'CareTeamMember',
  'CarePlanInternalNote',
  'Referral',
  'SignpostingService',
  'DataSharingAgreement',
  'AccessRule',
  'AuditEvent',
];

const { platform, owner } = usePlatform({
  beforeClose: async () => {
    await app?.end();
  },
});
let app: Client;
let world: PartnerWorld;

beforeAll(async () => {
  app = await appClient();
  world = await arrangePartnerWorld(owner, 'no-oracle');
});

/** What a caller can tell from an answer: data, error codes and messages, and its cost in statements. */
async function answerOf(caller: Caller, query: string, variables: Record<string, unknown>) {
  const response = await platform.graphql(caller, query, variables);
  return {
    data: response.data ?? null,
    errors: (response.errors ?? []).map((error) => ({ code: error.extensions.code, message: error.message })),
    statements: response.statements,
  };
}

/** The events about an id in an organisation's log since a moment, without the id itself. */
async function eventsAbout(organisationId: string, entityId: string, since: Date) {
  const events = await auditEventsOf(owner, organisationId, { entityId, since });
  return events.map(({ action, entity_type, actor_organisation_id, actor_subject, purpose, outcome, details }) => ({
    action,
    entity_type,
    actor_organisation_id,
    actor_subject,
    purpose,
    outcome,
    details,
  }));
}

/** Asks for the owner's record and for an unknown id of the same type; what each gave. */
async function probeBothWays(caller: Caller, organisationId: string, realId: string, ask: (id: string) => Promise<Awaited<ReturnType<typeof answerOf>>>) {
  const unknownId = randomUUID();
  const since = await databaseNow(owner);
  const real = await ask(realId);
  const unknown = await ask(unknownId);
  return {
    answers: { real, unknown },
    ownEvents: { real: await eventsAbout(organisationId, realId, since), unknown: await eventsAbout(organisationId, unknownId, since) },
    inOwnersLog: await auditEventsOf(owner, world.owner.id, { actorOrganisationId: organisationId, since }),
  };
}

it('a stranger probing the owner by node(id:), type by type, gets what an unknown id gets, writes nothing to the owner’s log, and the same event to its own', async () => {
  const seen: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  for (const type of TYPES) {
    const probe = await probeBothWays(world.strangerUser, world.stranger.id, world.refused[type], (id) =>
      answerOf(world.strangerUser, NODE, { id: toGlobalId(type, id) }),
    );
    seen[type] = probe;
    expected[type] = {
      answers: { real: probe.answers.unknown, unknown: { data: { node: null }, errors: [], statements: probe.answers.unknown.statements } },
      ownEvents: { real: probe.ownEvents.unknown, unknown: [expect.objectContaining({ actor_organisation_id: world.stranger.id, outcome: 'DENIED' })] },
      inOwnersLog: [],
    };
  }
  expect(seen).toEqual(expected);
});

it('a stranger’s mutations naming the owner’s records (contributing, exporting, answering a referral, changing a plan): the same error as for an unknown id, nothing in the owner’s log', async () => {
  const plan = world.refused.CarePlan;
  const attempts: Record<string, (id: string) => Promise<Awaited<ReturnType<typeof answerOf>>>> = {
    contributeCarePlanInput: (id) =>
      answerOf(world.strangerUser, `mutation($input: ContributeCarePlanInputInput!) { contributeCarePlanInput(input: $input) { input { id } } }`, {
        input: { carePlanId: toGlobalId('CarePlan', id), body: 'Probing' },
      }),
    exportCarePlanFhir: (id) => answerOf(world.strangerUser, `query($id: ID!) { exportCarePlanFhir(carePlanId: $id) }`, { id: toGlobalId('CarePlan', id) }),
    updateCarePlan: (id) =>
      answerOf(world.strangerUser, `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { carePlan { id } } }`, {
        input: { carePlanId: toGlobalId('CarePlan', id), whatHelps: 'Probing' },
      }),
    updateReferralStatus: (id) =>
      answerOf(world.strangerUser, `mutation($input: UpdateReferralStatusInput!) { updateReferralStatus(input: $input) { referral { id } } }`, {
        input: { referralId: toGlobalId('Referral', id), status: 'ACCEPTED' },
      }),
  };
  const seen: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  for (const [mutation, attempt] of Object.entries(attempts)) {
    const probe = await probeBothWays(world.strangerUser, world.stranger.id, mutation === 'updateReferralStatus' ? world.refused.Referral : plan, attempt);
    seen[mutation] = { answers: probe.answers, inOwnersLog: probe.inOwnersLog, ownEventsAlike: JSON.stringify(probe.ownEvents.real) === JSON.stringify(probe.ownEvents.unknown) };
    expected[mutation] = { answers: { real: probe.answers.unknown, unknown: probe.answers.unknown }, inOwnersLog: [], ownEventsAlike: true };
  }
  expect(seen).toEqual(expected);
  expect((seen.contributeCarePlanInput as any).answers.real.errors).toEqual([{ code: 'NOT_FOUND', message: 'Care plan was not found' }]);
});

it('a partner whose only agreement with the owner has been revoked is a stranger again: its probes answer as unknown ids, and the owner’s log gains nothing', async () => {
  const trust = await createOrganisation(owner, 'no-oracle-lapsed', 'NHS_TRUST');
  const clinician = (await addPerson(owner, trust, 'clinician', ['PARTNER'])).caller;
  const agreement = await insertAgreement(owner, world.owner.id, trust.id, {
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'] },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] },
    ],
  });
  const plan = await insertPlan(owner, world.owner.id, { team: [trust.id] });
  expect((await platform.graphql(clinician, NODE, { id: toGlobalId('CarePlan', plan.id) })).data!.node).not.toBeNull();
  await asTenant(owner, world.owner.id, () => owner.query(`update data_sharing_agreement set status = 'REVOKED', revoked_at = now() where id = $1`, [agreement.id]));

  const read = await probeBothWays(clinician, trust.id, plan.id, (id) => answerOf(clinician, `query($id: ID!) { carePlan(id: $id) { id } }`, { id: toGlobalId('CarePlan', id) }));
  const contribute = await probeBothWays(clinician, trust.id, plan.id, (id) =>
    answerOf(clinician, `mutation($input: ContributeCarePlanInputInput!) { contributeCarePlanInput(input: $input) { input { id } } }`, {
      input: { carePlanId: toGlobalId('CarePlan', id), body: 'After revocation' },
    }),
  );
  for (const probe of [read, contribute]) {
    expect(probe.answers.real).toEqual(probe.answers.unknown);
    expect(probe.inOwnersLog).toEqual([]);
    expect(probe.ownEvents.real).toEqual(probe.ownEvents.unknown);
  }
});

describe('the database on its own, as the application role', () => {
  const event = `insert into audit_event (tenant_id, actor_organisation_id, actor_subject, action, entity_type, entity_id, outcome)
                 values ($1, $2, 'probe', 'CARE_PLAN_READ', 'CarePlan', $3, 'DENIED')`;

  it('a stranger cannot fill the owner’s audit log with events in its own name; a partner in force can, a lapsed one no longer', async () => {
    const lapsed = await createOrganisation(owner, 'no-oracle-expired', 'NHS_TRUST');
    await insertAgreement(owner, world.owner.id, lapsed.id, { validTo: '2025-12-31', rules: [{ resource: 'CARE_PLAN', actions: ['READ'] }] });
    const plan = world.refused.CarePlan;
    const outcomes = {
      stranger: await asApp(app, world.stranger.id, () => refusalOf(app, event, [world.owner.id, world.stranger.id, plan])),
      strangerOwnLog: await asApp(app, world.stranger.id, () => refusalOf(app, event, [world.stranger.id, world.stranger.id, plan])),
      partner: await asApp(app, world.partner.id, () => refusalOf(app, event, [world.owner.id, world.partner.id, plan])),
      partnerAsAnother: await asApp(app, world.partner.id, () => refusalOf(app, event, [world.owner.id, world.stranger.id, plan])),
      lapsedPartner: await asApp(app, lapsed.id, () => refusalOf(app, event, [world.owner.id, lapsed.id, plan])),
      // The third organisation receives the owner's referrals: a partner too.
      third: await asApp(app, world.third.id, () => refusalOf(app, event, [world.owner.id, world.third.id, plan])),
    };
    expect(outcomes).toEqual({ stranger: '42501', strangerOwnLog: null, partner: null, partnerAsAnother: '42501', lapsedPartner: '42501', third: null });
  });

  it('the owner lookups tell a stranger nothing (null, as for an unknown id), a partner in force the owner, the owner itself its own', async () => {
    const lookups = await owner.query(`select proname from pg_proc where pronamespace = 'public'::regnamespace and proname like 'app\\_%\\_owner' order by proname`);
    expect(lookups.rows).toHaveLength(TYPES.length);
    const seen: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const type of TYPES) {
      const fn = `app_${type.replace(/[A-Z]/g, (letter, index) => `${index ? '_' : ''}${letter.toLowerCase()}`)}_owner`;
      const ask = (tenantId: string) => asApp(app, tenantId, async () => (await app.query(`select ${fn}($1) as owner`, [world.refused[type]])).rows[0].owner);
      seen[type] = { stranger: await ask(world.stranger.id), partner: await ask(world.partner.id), owner: await ask(world.owner.id) };
      expected[type] = { stranger: null, partner: world.owner.id, owner: world.owner.id };
    }
    expect(seen).toEqual(expected);
  });

  it('each owner lookup looks in its own table only: the id of another type’s record gives null, even to its owner', async () => {
    const seen: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const type of TYPES) {
      const fn = `app_${type.replace(/[A-Z]/g, (letter, index) => `${index ? '_' : ''}${letter.toLowerCase()}`)}_owner`;
      for (const other of TYPES.filter((candidate) => candidate !== type)) {
        seen[`${fn}(${other})`] = await asApp(app, world.owner.id, async () => (await app.query(`select ${fn}($1) as owner`, [world.refused[other]])).rows[0].owner);
        expected[`${fn}(${other})`] = null;
      }
    }
    expect(seen).toEqual(expected);
  });
});
