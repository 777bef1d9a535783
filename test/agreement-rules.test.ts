import {
  POLICE,
  SOUTHERN_HEALTH,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
} from './support/platform';
import { createTestUnit, databaseIdOf, revokeAgreement, type TestUnit } from './support/partner-unit';
import { auditEventsOf, insertPlan, type ArrangedPlan } from './support/partner-care-plans';

/*
 * Access rules inside agreements (issue 5, item 3): conditions on care-plan rules, adding,
 * changing and removing rules one at a time by the owner's scheme admin, each audited with the
 * rule before and after, and the partner's very next request seeing the change. Rules are
 * changed only on agreements of throwaway organisations: the seeded ones are only read.
 */

const { platform, owner } = usePlatform();
let ownerOrg: TestUnit;
let partner: TestUnit;
let offTeamPlan: ArrangedPlan;
let onTeamPlan: ArrangedPlan;

const policeAdmin: Caller = personas.police.admin;
const southernAdmin: Caller = personas.southernHealth.admin;
const fireAdmin: Caller = personas.fire.admin;

const RULE = `id resource actions fieldScope conditions { careTeamOnly requireConsent }`;
const CREATE = `mutation($input: CreateDataSharingAgreementInput!) { createDataSharingAgreement(input: $input) { agreement { id rules { ${RULE} } } } }`;
const ADD = `mutation($input: AddAccessRuleInput!) { addAccessRule(input: $input) { rule { ${RULE} } agreement { id rules { resource } } } }`;
const UPDATE = `mutation($input: UpdateAccessRuleInput!) { updateAccessRule(input: $input) { rule { ${RULE} } agreement { id } } }`;
const REMOVE = `mutation($input: RemoveAccessRuleInput!) { removeAccessRule(input: $input) { removedRuleId agreement { id rules { resource } } } }`;
const SHARED = `query { carePlansSharedWithUs(first: 100) { edges { node { id whatHelps whatToAvoid } } } }`;

const agreementInput = (partnerId: string, rules: unknown[]) => ({
  partnerOrganisationId: toGlobalId('Organisation', partnerId),
  title: `Rules test ${Math.random().toString(36).slice(2, 8)}`,
  purpose: 'Testing access rules on shared care plans',
  lawfulBasis: 'Test basis',
  validFrom: '2025-01-01',
  rules,
});

async function createAgreement(admin: Caller, partnerId: string, rules: unknown[]) {
  const response = await platform.graphql(admin, CREATE, { input: agreementInput(partnerId, rules) });
  expect(response.errors).toBeUndefined();
  return response.data!.createDataSharingAgreement.agreement as { id: string; rules: Array<{ id: string; resource: string }> };
}

async function sharedPlanIds(caller: Caller): Promise<string[]> {
  const response = await platform.graphql(caller, SHARED);
  expect(response.errors).toBeUndefined();
  return response.data!.carePlansSharedWithUs.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

beforeAll(async () => {
  ownerOrg = await createTestUnit(owner, 'rules-owner', 'POLICE');
  partner = await createTestUnit(owner, 'rules-partner', 'NHS_TRUST');
  onTeamPlan = await insertPlan(owner, ownerOrg.id, { team: [partner.id] });
  offTeamPlan = await insertPlan(owner, ownerOrg.id, { team: [] });
});

describe('conditions in GraphQL', () => {
  it('shows the seeded care-plan rules’ conditions to both parties, defaults filled in; other resources have none', async () => {
    for (const caller of [policeAdmin, southernAdmin]) {
      const response = await platform.graphql(caller, `{ dataSharingAgreements { partner { slug } owner { slug } rules { ${RULE} } } }`);
      expect(response.errors).toBeUndefined();
      const withSouthern = response.data!.dataSharingAgreements.find(
        (agreement: { owner: { slug: string }; partner: { slug: string } }) => agreement.owner.slug === POLICE && agreement.partner.slug === SOUTHERN_HEALTH,
      );
      const byResource = Object.fromEntries(withSouthern.rules.map((rule: { resource: string }) => [rule.resource, rule]));
      expect(byResource.CARE_PLAN.conditions).toEqual({ careTeamOnly: true, requireConsent: false });
      expect(byResource.CARE_PLAN_INPUT.conditions).toBeNull();
      expect(databaseIdOf(byResource.CARE_PLAN.id)).toMatch(/^[0-9a-f-]{36}$/);
    }
    const solent = await platform.graphql(personas.solent.clinician, `{ dataSharingAgreements { owner { slug } rules { ${RULE} } } }`);
    const carePlanRule = solent.data!.dataSharingAgreements
      .filter((agreement: { owner: { slug: string } }) => agreement.owner.slug === POLICE)
      .flatMap((agreement: { rules: Array<{ resource: string }> }) => agreement.rules)
      .find((rule: { resource: string }) => rule.resource === 'CARE_PLAN');
    expect(carePlanRule.conditions).toEqual({ careTeamOnly: true, requireConsent: true });
  });

  it('an access rule is a Node: both parties fetch it by id, an outsider gets null', async () => {
    const ruleId = toGlobalId('AccessRule', await firstSeededRuleId());
    const query = `query($id: ID!) { node(id: $id) { id ... on AccessRule { resource agreement { partner { slug } } } } }`;
    for (const caller of [policeAdmin, southernAdmin]) {
      const response = await platform.graphql(caller, query, { id: ruleId });
      expect(response.data!.node).toEqual({ id: ruleId, resource: 'CARE_PLAN', agreement: { partner: { slug: SOUTHERN_HEALTH } } });
    }
    expect((await platform.graphql(fireAdmin, query, { id: ruleId })).data!.node).toBeNull();
  });

  async function firstSeededRuleId(): Promise<string> {
    const response = await platform.graphql(policeAdmin, `{ dataSharingAgreements { id rules { id resource } } }`);
    const agreement = response.data!.dataSharingAgreements.find((item: { id: string }) => item.id === toGlobalId('DataSharingAgreement', demoIds.agreement(POLICE, SOUTHERN_HEALTH)));
    return databaseIdOf(agreement.rules.find((rule: { resource: string }) => rule.resource === 'CARE_PLAN').id);
  }

  it('creates an agreement whose care-plan rule carries conditions, and audits them', async () => {
    const other = await createTestUnit(owner, 'rules-create', 'NHS_TRUST');
    const agreement = await createAgreement(ownerOrg.admin, other.id, [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'], conditions: { careTeamOnly: false, requireConsent: true } },
    ]);
    expect(agreement.rules[0]).toMatchObject({ conditions: { careTeamOnly: false, requireConsent: true } });
    const [event] = await auditEventsOf(owner, ownerOrg.id, { action: 'DATA_SHARING_AGREEMENT_CREATED', entityId: databaseIdOf(agreement.id) });
    expect(event.details.rules).toEqual([
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'], conditions: { careTeamOnly: false, requireConsent: true } },
    ]);
  });

  it('refuses conditions on a rule whose resource takes none, naming the rule', async () => {
    const other = await createTestUnit(owner, 'rules-bad', 'NHS_TRUST');
    const response = await platform.graphql(ownerOrg.admin, CREATE, {
      input: agreementInput(other.id, [{ resource: 'REFERRAL', actions: ['READ'], conditions: { careTeamOnly: true } }]),
    });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'rules[0].conditions', message: 'Not conditions of REFERRAL: careTeamOnly; it takes none' }]);
  });
});

describe('adding, changing and removing rules', () => {
  let agreementId: string;
  let carePlanRuleId: string;

  beforeAll(async () => {
    const agreement = await createAgreement(ownerOrg.admin, partner.id, [{ resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'] }]);
    agreementId = agreement.id;
    carePlanRuleId = agreement.rules[0].id;
  });

  it('the partner at first sees only the plan it is on the care team of, and only the field in scope', async () => {
    const response = await platform.graphql(partner.adviser, SHARED);
    expect(response.data!.carePlansSharedWithUs.edges).toEqual([
      { node: { id: toGlobalId('CarePlan', onTeamPlan.id), whatHelps: 'What helps (test)', whatToAvoid: null } },
    ]);
  });

  it('adds a rule for another resource, audited with the rule as added', async () => {
    const response = await platform.graphql(ownerOrg.admin, ADD, { input: { agreementId, resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] } });
    expect(response.errors).toBeUndefined();
    const { rule, agreement } = response.data!.addAccessRule;
    expect(rule).toMatchObject({ resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'], fieldScope: [], conditions: null });
    expect(agreement.rules.map((item: { resource: string }) => item.resource).sort()).toEqual(['CARE_PLAN', 'CARE_PLAN_INPUT']);
    const events = await auditEventsOf(owner, ownerOrg.id, { action: 'ACCESS_RULE_ADDED', entityId: databaseIdOf(rule.id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_subject: `${ownerOrg.slug}-admin`,
      outcome: 'ALLOWED',
      purpose: 'Testing access rules on shared care plans',
      details: {
        agreementId: databaseIdOf(agreementId),
        partnerOrganisationId: partner.id,
        before: null,
        after: { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'], fieldScope: [], conditions: {} },
      },
    });
  });

  it('refuses a second rule for the same resource (CONFLICT) and invalid rules (BAD_USER_INPUT, each problem named)', async () => {
    expectError(await platform.graphql(ownerOrg.admin, ADD, { input: { agreementId, resource: 'CARE_PLAN', actions: ['READ'] } }), 'CONFLICT');
    const invalid = await platform.graphql(ownerOrg.admin, ADD, {
      input: { agreementId, resource: 'REFERRAL', actions: [], fieldScope: ['dateOfBirth'], conditions: { requireConsent: true } },
    });
    expect(expectError(invalid, 'BAD_USER_INPUT').extensions.problems).toEqual([
      { field: 'actions', message: 'Name at least one action' },
      { field: 'fieldScope', message: 'Not fields of REFERRAL: dateOfBirth' },
      { field: 'conditions', message: 'Not conditions of REFERRAL: requireConsent; it takes none' },
    ]);
    expectError(await platform.graphql(ownerOrg.admin, ADD, { input: { agreementId: 'not-an-id', resource: 'REFERRAL', actions: ['READ'] } }), 'BAD_USER_INPUT');
  });

  it('changes conditions and field scope, audited before and after; the partner’s next request sees the change', async () => {
    const response = await platform.graphql(ownerOrg.admin, UPDATE, {
      input: { ruleId: carePlanRuleId, fieldScope: ['whatHelps', 'whatToAvoid'], conditions: { careTeamOnly: false } },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateAccessRule.rule).toMatchObject({
      actions: ['READ'],
      fieldScope: ['whatHelps', 'whatToAvoid'],
      conditions: { careTeamOnly: false, requireConsent: false },
    });
    const [event] = await auditEventsOf(owner, ownerOrg.id, { action: 'ACCESS_RULE_UPDATED', entityId: databaseIdOf(carePlanRuleId) });
    expect(event.details).toEqual({
      agreementId: databaseIdOf(agreementId),
      partnerOrganisationId: partner.id,
      before: { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'], conditions: {} },
      after: { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'whatToAvoid'], conditions: { careTeamOnly: false } },
    });
    expect((await sharedPlanIds(partner.adviser)).sort()).toEqual([toGlobalId('CarePlan', onTeamPlan.id), toGlobalId('CarePlan', offTeamPlan.id)].sort());
    const fields = await platform.graphql(partner.adviser, SHARED);
    expect(fields.data!.carePlansSharedWithUs.edges[0].node.whatToAvoid).toBe('What to avoid (test)');
  });

  it('records no event when an update changes nothing', async () => {
    const before = await auditEventsOf(owner, ownerOrg.id, { action: 'ACCESS_RULE_UPDATED', entityId: databaseIdOf(carePlanRuleId) });
    const response = await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: carePlanRuleId, actions: ['READ'] } });
    expect(response.errors).toBeUndefined();
    expect(await auditEventsOf(owner, ownerOrg.id, { action: 'ACCESS_RULE_UPDATED', entityId: databaseIdOf(carePlanRuleId) })).toHaveLength(before.length);
  });

  it('requireConsent hides plans without consent on the next request', async () => {
    await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: carePlanRuleId, conditions: { careTeamOnly: false, requireConsent: true } } });
    expect(await sharedPlanIds(partner.adviser)).toEqual([]);
    await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: carePlanRuleId, conditions: { careTeamOnly: false } } });
    expect(await sharedPlanIds(partner.adviser)).toHaveLength(2);
  });

  it('refuses rule changes to anyone but the owner’s scheme admin', async () => {
    // The partner's own admin sees the rule but may not change it: not found, as for strangers.
    const partnerAdmin = partner.admin;
    expectError(await platform.graphql(partnerAdmin, UPDATE, { input: { ruleId: carePlanRuleId, actions: ['READ', 'CONTRIBUTE'] } }), 'NOT_FOUND');
    expectError(await platform.graphql(partnerAdmin, REMOVE, { input: { ruleId: carePlanRuleId } }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, UPDATE, { input: { ruleId: carePlanRuleId, actions: ['READ'] } }), 'NOT_FOUND');
    expectError(await platform.graphql(partner.adviser, UPDATE, { input: { ruleId: carePlanRuleId, actions: ['READ'] } }), 'FORBIDDEN');
    expectError(await platform.graphql(personas.police.staff, ADD, { input: { agreementId, resource: 'REFERRAL', actions: ['READ'] } }), 'FORBIDDEN');
    expectError(await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: toGlobalId('CarePlan', onTeamPlan.id) } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: carePlanRuleId, fieldScope: ['internalNotes'] } }), 'BAD_USER_INPUT');
    const rules = await platform.graphql(ownerOrg.admin, `query($id: ID!) { node(id: $id) { ... on AccessRule { actions fieldScope } } }`, { id: carePlanRuleId });
    expect(rules.data!.node).toEqual({ actions: ['READ'], fieldScope: ['whatHelps', 'whatToAvoid'] });
  });

  it('removes a rule, audited with the rule as it was; the partner’s next request sees nothing', async () => {
    const response = await platform.graphql(ownerOrg.admin, REMOVE, { input: { ruleId: carePlanRuleId } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.removeAccessRule).toEqual({ removedRuleId: carePlanRuleId, agreement: { id: agreementId, rules: [{ resource: 'CARE_PLAN_INPUT' }] } });
    const [event] = await auditEventsOf(owner, ownerOrg.id, { action: 'ACCESS_RULE_REMOVED', entityId: databaseIdOf(carePlanRuleId) });
    expect(event.details).toMatchObject({
      before: { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'whatToAvoid'], conditions: { careTeamOnly: false } },
      after: null,
    });
    expect(await sharedPlanIds(partner.adviser)).toEqual([]);
    expect((await platform.graphql(ownerOrg.admin, `query($id: ID!) { node(id: $id) { id } }`, { id: carePlanRuleId })).data!.node).toBeNull();
    expectError(await platform.graphql(ownerOrg.admin, REMOVE, { input: { ruleId: carePlanRuleId } }), 'NOT_FOUND');
  });

  it('keeps a revoked agreement’s rules as they were: adding, changing and removing are CONFLICT', async () => {
    const response = await platform.graphql(ownerOrg.admin, `query($id: ID!) { node(id: $id) { ... on DataSharingAgreement { rules { id } } } }`, { id: agreementId });
    const inputRuleId = response.data!.node.rules[0].id;
    await revokeAgreement(platform, ownerOrg.admin, agreementId);
    expectError(await platform.graphql(ownerOrg.admin, ADD, { input: { agreementId, resource: 'CARE_PLAN', actions: ['READ'] } }), 'CONFLICT');
    expectError(await platform.graphql(ownerOrg.admin, UPDATE, { input: { ruleId: inputRuleId, actions: ['READ'] } }), 'CONFLICT');
    expectError(await platform.graphql(ownerOrg.admin, REMOVE, { input: { ruleId: inputRuleId } }), 'CONFLICT');
    const events = await auditEventsOf(owner, ownerOrg.id, { entityId: databaseIdOf(inputRuleId) });
    expect(events.map((event) => event.action)).toEqual(['ACCESS_RULE_ADDED']);
  });
});
