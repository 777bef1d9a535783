import { asTenant, toGlobalId, usePlatform, type GraphQLResponse } from './support/platform';
import { auditEventsOf, databaseNow, insertAgreement, insertPlan } from './support/partner-care-plans';
import { addPerson, arrangePartnerWorld, createOrganisation, type PartnerWorld, type RefusedType } from './support/partner-world';

/*
 * A hostile partner probing an owner's records by id: every refusal of a record of a type a
 * partner can name is the owner's to see, as a DENIED event in its log, whatever the type.
 * The list of types comes from the schema itself (the types implementing Node), so a type
 * added later is in neither list below and fails the first test until someone decides which
 * it is. The owner is one the partner has an agreement in force with; an organisation with
 * none is covered by no-oracle.test.ts.
 */

/** Types whose records a partner organisation can be shown under an agreement, or can name: each refusal is audited in the owner's log. */
const AUDITED: Record<RefusedType, { answer: 'FORBIDDEN' | null; why: string }> = {
  CarePlan: { answer: 'FORBIDDEN', why: 'shared under a CARE_PLAN rule; the refusal names the rule' },
  CarePlanInput: { answer: 'FORBIDDEN', why: 'SHARED inputs under a CARE_PLAN_INPUT rule; the refusal names the rule' },
  CareTeamMember: { answer: null, why: 'the team of a plan shared with the partner' },
  CarePlanInternalNote: { answer: null, why: 'never shared, but a partner can name one by id' },
  Referral: { answer: null, why: 'the receiving organisation reads referrals sent to it' },
  SignpostingService: { answer: null, why: 'shared under a SIGNPOSTING_SERVICE rule' },
  DataSharingAgreement: { answer: null, why: 'each party reads its agreements' },
  AccessRule: { answer: null, why: 'each party reads its agreements’ rules' },
  AuditEvent: { answer: null, why: 'a partner’s auditor reads its own users’ events in owners’ logs (actor_read)' },
};

/**
 * Types no other organisation is ever shown, so there is no refusal of a partner to audit:
 * row-level security hides them (their tables have no policy beside tenant_isolation), or
 * they are the public registry.
 */
const NEVER_SHOWN: Record<string, { table: string; why: string }> = {
  Organisation: { table: 'organisation', why: 'the registry every caller reads: names and kinds, nothing to refuse' },
  Person: { table: 'person', why: 'an organisation’s own people' },
  RoleAssignment: { table: 'role_assignment', why: 'an organisation’s own people’s roles' },
  Milo: { table: 'milo', why: 'an organisation’s own scheme memberships' },
  Scheme: { table: 'scheme', why: 'an organisation’s own scheme' },
  TermsOfReference: { table: 'terms_of_reference', why: 'an organisation’s own scheme configuration' },
  TrainingModule: { table: 'training_module', why: 'an organisation’s own catalogue' },
  TrainingRequirement: { table: 'training_requirement', why: 'an organisation’s own requirements' },
  TrainingRecord: { table: 'training_record', why: 'an organisation’s own people’s training' },
  SupportRequest: { table: 'support_request', why: 'a colleague’s request, never shared (a referral carries what may go)' },
  SupportContact: { table: 'support_contact', why: 'a MILO’s record of support, never shared' },
  AdviceRequest: { table: 'advice_request', why: 'an officer’s request for advice, never shared' },
  TaxonomyTerm: { table: 'taxonomy_term', why: 'an organisation’s own taxonomies' },
  Feedback: { table: 'feedback', why: 'an organisation’s own feedback' },
};

const NODE = `query($id: ID!) { node(id: $id) { id } }`;

const { platform, owner } = usePlatform();
let world: PartnerWorld;

beforeAll(async () => {
  world = await arrangePartnerWorld(owner, 'refusal-audit');
});

/** The DENIED events the partner's request added to the owner's log about this record. */
async function deniedInOwnersLog(ownerId: string, partnerId: string, entityId: string, request: () => Promise<unknown>) {
  const since = await databaseNow(owner);
  await request();
  return auditEventsOf(owner, ownerId, { entityId, actorOrganisationId: partnerId, outcome: 'DENIED', since });
}

/** How each type is asked for and what the owner's log gained, in one comparable line. */
async function probe(type: RefusedType) {
  const id = world.refused[type];
  let response: GraphQLResponse | undefined;
  const denied = await deniedInOwnersLog(world.owner.id, world.partner.id, id, async () => {
    response = await platform.graphql(world.partnerUser, NODE, { id: toGlobalId(type, id) });
  });
  return {
    node: response!.data?.node ?? null,
    errors: (response!.errors ?? []).map((error) => error.extensions.code),
    denied: denied.map((event) => ({ entityType: event.entity_type, entityId: event.entity_id, subject: event.actor_subject, reason: typeof event.details.reason })),
  };
}

/** The policies on each never-shown type's table. */
async function policiesOf(tables: string[]) {
  const { rows } = await owner.query(
    `select c.relname as table, c.relrowsecurity as rls, coalesce(array_agg(p.polname::text order by p.polname) filter (where p.polname is not null), '{}'::text[]) as policies
       from pg_class c left join pg_policy p on p.polrelid = c.oid
      where c.relname = any($1) and c.relnamespace = 'public'::regnamespace
      group by c.relname, c.relrowsecurity`,
    [tables],
  );
  return Object.fromEntries(rows.map((row) => [row.table, { rls: row.rls, policies: row.policies }]));
}

it('a partner probing the owner by id, type by type as the schema lists them: every refusal of a type a partner can name is DENIED in the owner’s log; every other type no policy shows to another organisation', async () => {
  const response = await platform.graphql(world.partnerUser, `{ __type(name: "Node") { possibleTypes { name } } }`);
  expect(response.errors).toBeUndefined();
  const inSchema: string[] = response.data!.__type.possibleTypes.map((type: { name: string }) => type.name).sort();
  // A type in neither list is a decision still to make.
  expect(inSchema.filter((type) => !(type in AUDITED) && !(type in NEVER_SHOWN))).toEqual([]);

  const seen: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  const policies = await policiesOf(Object.values(NEVER_SHOWN).map(({ table }) => table));
  for (const type of inSchema) {
    if (type in AUDITED) {
      seen[type] = await probe(type as RefusedType);
      const { answer } = AUDITED[type as RefusedType];
      expected[type] = {
        node: null,
        errors: answer ? [answer] : [],
        denied: [{ entityType: type, entityId: world.refused[type as RefusedType], subject: world.partnerUser.subject, reason: 'string' }],
      };
    } else {
      const { table } = NEVER_SHOWN[type];
      seen[type] = policies[table];
      expected[type] = table === 'organisation' ? { rls: false, policies: [] } : { rls: true, policies: ['tenant_isolation'] };
    }
  }
  expect(seen).toEqual(expected);
});

it('every type a partner can name has an owner lookup, so a refusal of a record the partner cannot see still reaches the owner’s log', async () => {
  const { rows } = await owner.query(`select proname from pg_proc where pronamespace = 'public'::regnamespace and proname like 'app\\_%\\_owner' order by proname`);
  const snake = (type: string) => type.replace(/[A-Z]/g, (letter, index) => `${index ? '_' : ''}${letter.toLowerCase()}`);
  expect(rows.map((row) => row.proname).sort()).toEqual(Object.keys(AUDITED).map((type) => `app_${snake(type)}_owner`).sort());
});

describe('care-team members a partner may not see (a plan not shared with it, a member no longer on the team, a plan whose agreement was revoked)', () => {
  it('a member of a plan not shared with it: null, DENIED in the owner’s log', async () => {
    const id = world.refused.CareTeamMember;
    const denied = await deniedInOwnersLog(world.owner.id, world.partner.id, id, async () => {
      const response = await platform.graphql(world.partnerUser, NODE, { id: toGlobalId('CareTeamMember', id) });
      expect(response.errors).toBeUndefined();
      expect(response.data!.node).toBeNull();
    });
    expect(denied).toEqual([expect.objectContaining({ action: 'CARE_TEAM_MEMBER_READ', details: { reason: 'PLAN_NOT_SHARED' } })]);
  });

  it('a removed member of a plan shared with it: null, DENIED in the owner’s log with the agreement’s purpose', async () => {
    const denied = await deniedInOwnersLog(world.owner.id, world.partner.id, world.removedMember, async () => {
      const response = await platform.graphql(world.partnerUser, NODE, { id: toGlobalId('CareTeamMember', world.removedMember) });
      expect(response.data!.node).toBeNull();
    });
    expect(denied).toEqual([
      expect.objectContaining({ action: 'CARE_TEAM_MEMBER_READ', purpose: 'Testing shared care plans', details: { reason: 'NO_LONGER_ON_TEAM' } }),
    ]);
    // The current members of the same plan are there for it.
    const current = await platform.graphql(world.partnerUser, NODE, { id: toGlobalId('CareTeamMember', world.sharedPlan.teamMemberIds[1]) });
    expect(current.data!.node).toEqual({ id: toGlobalId('CareTeamMember', world.sharedPlan.teamMemberIds[1]) });
  });

  it('after its care-plan agreement is revoked, while another agreement with the owner stays in force: null, DENIED in the owner’s log', async () => {
    const trust = await createOrganisation(owner, 'refusal-revoked', 'NHS_TRUST');
    const clinician = (await addPerson(owner, trust, 'clinician', ['PARTNER'])).caller;
    const carePlans = await insertAgreement(owner, world.owner.id, trust.id, { rules: [{ resource: 'CARE_PLAN', actions: ['READ'] }] });
    await insertAgreement(owner, world.owner.id, trust.id, { rules: [{ resource: 'REFERRAL', actions: ['READ'] }] });
    const plan = await insertPlan(owner, world.owner.id, { team: [trust.id] });
    const member = plan.teamMemberIds[1];
    expect((await platform.graphql(clinician, NODE, { id: toGlobalId('CareTeamMember', member) })).data!.node).not.toBeNull();

    await asTenant(owner, world.owner.id, () =>
      owner.query(`update data_sharing_agreement set status = 'REVOKED', revoked_at = now() where id = $1`, [carePlans.id]),
    );
    const denied = await deniedInOwnersLog(world.owner.id, trust.id, member, async () => {
      const response = await platform.graphql(clinician, NODE, { id: toGlobalId('CareTeamMember', member) });
      expect(response.data!.node).toBeNull();
    });
    expect(denied).toEqual([expect.objectContaining({ action: 'CARE_TEAM_MEMBER_READ', entity_type: 'CareTeamMember' })]);
  });
});
