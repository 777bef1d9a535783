import { Client } from 'pg';
import {
  FIRE,
  POLICE,
  SOLENT,
  SOUTHERN_HEALTH,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
  type GraphQLResponse,
} from './support/platform';
import { createTestUnit, type TestUnit } from './support/partner-unit';
import { databaseNow, insertAgreement, insertPlan, type ArrangedPlan } from './support/partner-care-plans';

/*
 * The audit log as data protection officers read it (issue 5, item 6): the owner's DPO lists
 * and filters its own log, including what partners' users did with its records ("who at
 * Southern Health viewed plan X this month?" is one query); a partner's DPO sees what its own
 * users did in other organisations' logs, and nothing else; the log is insert-only for the
 * application role. Events are made by this file's own requests (on throwaway organisations,
 * or reads of seeded plans, which change nothing).
 */

const police = demoIds.organisation(POLICE);
const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
const policeDpo: Caller = personas.police.auditor;
const southernDpo: Caller = personas.southernHealth.auditor;
const shClinician: Caller = personas.southernHealth.clinician;
const solentClinician: Caller = personas.solent.clinician;

const EVENTS = `query($filter: AuditEventsFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id occurredAt action entityType entityId purpose outcome details actorSubject
      actorOrganisation { slug name } actorPerson { displayName } ownerOrganisation { slug }
    } }
  }
}`;

type EventNode = Record<string, any>;

const { platform, owner } = usePlatform({
  beforeClose: async () => {
    await app.end();
  },
});
let app: Client;

async function events(caller: Caller, filter: Record<string, unknown> = {}, first = 100): Promise<EventNode[]> {
  const response = await platform.graphql(caller, EVENTS, { filter, first });
  expect(response.errors).toBeUndefined();
  return response.data!.auditEvents.edges.map((edge: { node: EventNode }) => edge.node);
}

const startOfMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
};

beforeAll(async () => {
  app = new Client({ connectionString: process.env.TEST_APP_URL });
  await app.connect();
});

describe('“Who at Southern Health viewed plan CP-HC-0001 this month?”', () => {
  let since: Date;

  beforeAll(async () => {
    since = await databaseNow(owner);
    // Southern Health reads the plan in a list and by id; Solent reads it too.
    for (const caller of [shClinician, solentClinician]) {
      const list = await platform.graphql(caller, `{ carePlansSharedWithUs(first: 100) { edges { node { id whatHelps } } } }`);
      expect(list.errors).toBeUndefined();
    }
    const one = await platform.graphql(shClinician, `query($id: ID!) { carePlan(id: $id) { reference } }`, { id: toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001')) });
    expect(one.errors).toBeUndefined();
  });

  it('is one query for the police DPO: the events name the clinician, the organisation and the agreement’s purpose', async () => {
    const found = await events(policeDpo, {
      entityId: toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001')),
      actorOrganisationId: toGlobalId('Organisation', southernHealth),
      action: 'CARE_PLAN_READ',
      outcome: 'ALLOWED',
      from: startOfMonth(),
    });
    const recent = found.filter((event) => new Date(event.occurredAt) >= new Date(since.getTime() - 1));
    for (const event of found) {
      expect(event).toMatchObject({
        action: 'CARE_PLAN_READ',
        outcome: 'ALLOWED',
        actorOrganisation: { slug: SOUTHERN_HEALTH, name: 'Southern Health NHS Foundation Trust' },
        ownerOrganisation: { slug: POLICE },
        // Another organisation's person record is not the police's to read: the subject names them.
        actorPerson: null,
        purpose: expect.stringMatching(/community mental health team/),
      });
      expect(event.entityId === null || event.entityId === toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001'))).toBe(true);
    }
    // This test's two reads by sh-clinician-1: the list (one event naming the page's plans) and carePlan(id:).
    const byClinician = recent.filter((event) => event.actorSubject === 'sh-clinician-1');
    expect(byClinician.map((event) => event.entityId)).toEqual(expect.arrayContaining([toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001'))]));
    expect(byClinician.some((event) => (event.details.ids as string[]).includes(demoIds.carePlan(POLICE, 'CP-HC-0002')))).toBe(true);
    // Newest first.
    const times = found.map((event) => Date.parse(event.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('finds the same events by the plan’s database id, and Solent’s read apart', async () => {
    const byGlobal = await events(policeDpo, { entityId: toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001')), action: 'CARE_PLAN_READ', from: since.toISOString() });
    const byRaw = await events(policeDpo, { entityId: demoIds.carePlan(POLICE, 'CP-HC-0001'), action: 'CARE_PLAN_READ', from: since.toISOString() });
    expect(byRaw.map((event) => event.id)).toEqual(byGlobal.map((event) => event.id));
    expect(new Set(byGlobal.map((event) => event.actorOrganisation.slug))).toEqual(new Set([SOUTHERN_HEALTH, SOLENT]));
  });
});

describe('an owner’s DPO and its own log', () => {
  let ownerOrg: TestUnit;
  let partner: TestUnit;
  let arranged: ArrangedPlan;
  let dpo: Caller;
  let partnerDpo: Caller;

  beforeAll(async () => {
    ownerOrg = await createTestUnit(owner, 'audit-owner', 'POLICE');
    partner = await createTestUnit(owner, 'audit-partner', 'NHS_TRUST');
    dpo = { organisation: ownerOrg.slug, roles: ['AUDITOR'], subject: `${ownerOrg.slug}-dpo` };
    partnerDpo = { organisation: partner.slug, roles: ['AUDITOR'], subject: `${partner.slug}-dpo` };
    await insertAgreement(owner, ownerOrg.id, partner.id, {
      purpose: 'Audit test purpose',
      rules: [
        { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'] },
        { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] },
      ],
    });
    arranged = await insertPlan(owner, ownerOrg.id, { team: [partner.id], inputs: [{ visibility: 'SHARED' }] });
    const planId = toGlobalId('CarePlan', arranged.id);
    // Allowed: a list read, an input read, a contribution. Denied: a field outside the scope.
    const read = await platform.graphql(partner.adviser, `{ carePlansSharedWithUs { edges { node { whatHelps contacts inputs { body } } } } }`);
    expect(read.errors).toBeUndefined();
    const contributed = await platform.graphql(
      partner.adviser,
      `mutation($input: ContributeCarePlanInputInput!) { contributeCarePlanInput(input: $input) { input { id } } }`,
      { input: { carePlanId: planId, body: 'A partner note for the audit test.' } },
    );
    expect(contributed.errors).toBeUndefined();
    // The owner's own admin changes a rule: an event by the owner's own person.
    const rules = await platform.graphql(ownerOrg.admin, `{ dataSharingAgreements { rules { id resource } } }`);
    const inputRule = rules.data!.dataSharingAgreements[0].rules.find((rule: { resource: string }) => rule.resource === 'CARE_PLAN_INPUT');
    const updated = await platform.graphql(ownerOrg.admin, `mutation($input: UpdateAccessRuleInput!) { updateAccessRule(input: $input) { rule { actions } } }`, {
      input: { ruleId: inputRule.id, actions: ['READ'] },
    });
    expect(updated.errors).toBeUndefined();
  });

  it('lists every event of its log, newest first, with actors named', async () => {
    const all = await events(dpo);
    // The rule change, the contribution, then the events of the page read (one transaction, one instant).
    expect(all.slice(0, 2).map((event) => event.action)).toEqual(['ACCESS_RULE_UPDATED', 'CARE_PLAN_INPUT_CONTRIBUTED']);
    expect(all.slice(2).map((event) => `${event.action}:${event.outcome}`).sort()).toEqual([
      'CARE_PLAN_INPUT_READ:ALLOWED',
      'CARE_PLAN_READ:ALLOWED',
      'CARE_PLAN_READ:DENIED',
    ]);
    const [rule, contribution] = all;
    expect(rule).toMatchObject({
      actorSubject: `${ownerOrg.slug}-admin`,
      actorPerson: { displayName: `${ownerOrg.slug}-admin` },
      actorOrganisation: { slug: ownerOrg.slug },
      ownerOrganisation: { slug: ownerOrg.slug },
      entityType: 'AccessRule',
      details: { before: { actions: ['READ', 'CONTRIBUTE'] }, after: { actions: ['READ'] } },
    });
    expect(rule.entityId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(contribution).toMatchObject({
      actorSubject: `${partner.slug}-adviser`,
      actorPerson: null,
      actorOrganisation: { slug: partner.slug },
      purpose: 'Audit test purpose',
      entityType: 'CarePlanInput',
    });
  });

  it('filters by outcome, entity type, action, actor organisation and time; they combine', async () => {
    const deniedOnly = await events(dpo, { outcome: 'DENIED' });
    expect(deniedOnly).toHaveLength(1);
    expect(deniedOnly[0].details).toMatchObject({ reason: 'FIELD_OUTSIDE_SCOPE', fields: ['contacts'], ids: [arranged.id] });
    expect(deniedOnly[0].entityId).toBe(toGlobalId('CarePlan', arranged.id));
    expect((await events(dpo, { entityType: 'AccessRule' })).map((event) => event.action)).toEqual(['ACCESS_RULE_UPDATED']);
    expect(await events(dpo, { action: 'CARE_PLAN_INPUT_CONTRIBUTED', actorOrganisationId: toGlobalId('Organisation', ownerOrg.id) })).toEqual([]);
    expect(await events(dpo, { action: 'CARE_PLAN_INPUT_CONTRIBUTED', actorOrganisationId: partner.globalId })).toHaveLength(1);
    const all = await events(dpo);
    const newest = all[0].occurredAt;
    expect(await events(dpo, { from: new Date(Date.parse(newest) + 1000).toISOString() })).toEqual([]);
    expect((await events(dpo, { to: newest })).length).toBeLessThan(all.length);
    expect((await events(dpo, { entityId: arranged.id })).map((event) => event.action).sort()).toEqual(['CARE_PLAN_READ', 'CARE_PLAN_READ']);
  });

  it('pages by keyset cursor, newest first, without gaps or repeats', async () => {
    const all = await events(dpo);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse = await platform.graphql(dpo, EVENTS, { first: 2, after });
      expect(response.errors).toBeUndefined();
      const page: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string } }> } =
        response.data!.auditEvents;
      expect(page.totalCount).toBe(all.length);
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.map((event) => event.id));
  });

  it('the partner’s DPO sees its own users’ events in the owner’s log, with the owner named; the owner’s own events not', async () => {
    const mine = await events(partnerDpo);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    for (const event of mine) {
      expect(event).toMatchObject({ actorOrganisation: { slug: partner.slug }, ownerOrganisation: { slug: ownerOrg.slug } });
    }
    // Its own user is its own person: named.
    expect(mine.find((event) => event.action === 'CARE_PLAN_INPUT_CONTRIBUTED')).toMatchObject({ actorPerson: { displayName: `${partner.slug}-adviser` } });
    expect(mine.map((event) => event.action)).not.toContain('ACCESS_RULE_UPDATED');
    expect(await events(partnerDpo, { ownerOrganisationId: toGlobalId('Organisation', ownerOrg.id), outcome: 'DENIED' })).toHaveLength(1);
  });

  it('Southern Health’s DPO sees its clinicians’ reads in the police and fire logs, and no other organisation’s events', async () => {
    const mine = await events(southernDpo, { action: 'CARE_PLAN_READ' });
    expect(new Set(mine.map((event) => event.ownerOrganisation.slug))).toEqual(new Set([POLICE, FIRE]));
    expect(new Set(mine.map((event) => event.actorOrganisation.slug))).toEqual(new Set([SOUTHERN_HEALTH]));
    const foreign = await events(southernDpo, { actorOrganisationId: toGlobalId('Organisation', demoIds.organisation(SOLENT)) });
    expect(foreign).toEqual([]);
  });

  it('node(id:) returns an event to the DPOs who may list it, and nothing to others', async () => {
    const [event] = await events(dpo, { outcome: 'DENIED' });
    const query = `query($id: ID!) { node(id: $id) { id ... on AuditEvent { action } } }`;
    expect((await platform.graphql(dpo, query, { id: event.id })).data!.node).toEqual({ id: event.id, action: 'CARE_PLAN_READ' });
    expect((await platform.graphql(partnerDpo, query, { id: event.id })).data!.node).toEqual({ id: event.id, action: 'CARE_PLAN_READ' });
    expect((await platform.graphql(policeDpo, query, { id: event.id })).data!.node).toBeNull();
    expectError(await platform.graphql(ownerOrg.admin, query, { id: event.id }), 'FORBIDDEN');
  });
});

describe('who may read the log, and what they may send', () => {
  it('AUDITOR only: scheme admins, partner users and staff are FORBIDDEN', async () => {
    for (const caller of [
      personas.police.admin,
      shClinician,
      personas.police.staff,
    ] as Caller[]) {
      expectError(await platform.graphql(caller, EVENTS, {}), 'FORBIDDEN');
    }
  });

  it('refuses malformed filters and cursors with BAD_USER_INPUT', async () => {
    for (const variables of [
      { filter: { entityId: 'not-an-id' } },
      { filter: { actorOrganisationId: toGlobalId('CarePlan', demoIds.carePlan(POLICE, 'CP-HC-0001')) } },
      { filter: { from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' } },
      { filter: { action: "CARE_PLAN_READ' or 1=1 --" } },
      { after: 'bm90IGEgY3Vyc29y' },
      { first: 101 },
    ]) {
      expectError(await platform.graphql(policeDpo, EVENTS, variables), 'BAD_USER_INPUT');
    }
  });
});

describe('insert-only', () => {
  it('the application role can neither update nor delete an audit event, even its own organisation’s', async () => {
    await app.query('begin');
    try {
      await app.query(`select set_config('app.tenant_id', $1, true)`, [police]);
      const { rows } = await app.query(`select id from audit_event limit 1`);
      expect(rows).toHaveLength(1);
      for (const sql of [
        `update audit_event set outcome = 'ALLOWED' where id = $1`,
        `delete from audit_event where id = $1`,
      ]) {
        await app.query('savepoint attempt');
        const error = await app.query(sql, [rows[0].id]).then(
          () => null,
          (failure: { code?: string }) => failure.code,
        );
        await app.query('rollback to savepoint attempt');
        expect({ sql, error }).toEqual({ sql, error: '42501' });
      }
      await app.query('savepoint attempt');
      const truncate = await app.query(`truncate audit_event`).then(
        () => null,
        (failure: { code?: string }) => failure.code,
      );
      expect(truncate).toBe('42501');
    } finally {
      await app.query('rollback');
    }
  });
});
