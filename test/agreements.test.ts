import { createTestUnit } from './support/partner-unit';
import { POLICE, SOLENT, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller, type GraphQLResponse } from './support/platform';

/*
 * Data sharing agreements through the API: the owner's scheme admins create and revoke them,
 * both parties see them, nobody else does. This file's agreements are police → Solent NHS,
 * a pair no other test file shares records through, and their rules grant nothing that
 * another file reads.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const solent = toGlobalId('Organisation', demoIds.organisation(SOLENT));
const policeAdmin: Caller = personas.police.admin;
const policeStaff: Caller = personas.police.staff;
const solentAdmin: Caller = personas.solent.admin;
const solentClinician: Caller = personas.solent.clinician;
const fireAdmin: Caller = personas.fire.admin;

const CREATE = `mutation($input: CreateDataSharingAgreementInput!) {
  createDataSharingAgreement(input: $input) {
    agreement { id title purpose lawfulBasis validFrom validTo state owner { slug } partner { slug } rules { resource actions fieldScope } }
  }
}`;
const REVOKE = `mutation($input: RevokeDataSharingAgreementInput!) {
  revokeDataSharingAgreement(input: $input) { agreement { id state revokedAt revocationReason } }
}`;
const LIST = `{ dataSharingAgreements { id title state owner { slug } partner { slug } rules { resource actions fieldScope } } }`;

const suffix = Math.random().toString(36).slice(2, 8);
const validInput = (overrides: Record<string, unknown> = {}) => ({
  partnerOrganisationId: solent,
  title: `Referral status to Solent ${suffix}`,
  purpose: 'Testing agreements: Solent may read the urgency and reason of referrals sent to it.',
  lawfulBasis: 'UK GDPR Art. 6(1)(e); Art. 9(2)(h)',
  validFrom: '2026-01-01',
  validTo: null,
  rules: [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['urgency', 'reason'] }],
  ...overrides,
});

async function auditEventsFor(entityId: string) {
  const { rows } = await asTenant(owner, police, () =>
    owner.query(
      `select action, actor_organisation_id, actor_subject, purpose, outcome, details from audit_event where entity_id = $1 order by occurred_at`,
      [entityId],
    ),
  );
  return rows;
}

const databaseId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

describe('creating an agreement', () => {
  let agreementId: string;

  beforeAll(async () => {
    const response = await platform.graphql(policeAdmin, CREATE, { input: validInput() });
    expect(response.errors).toBeUndefined();
    agreementId = response.data!.createDataSharingAgreement.agreement.id;
  });

  it('lets the owner’s scheme admin create one, in force at once, with its rules', async () => {
    const response = await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on DataSharingAgreement { title state owner { slug } partner { slug } rules { resource actions fieldScope } } } }`, {
      id: agreementId,
    });
    expect(response.data!.node).toEqual({
      title: `Referral status to Solent ${suffix}`,
      state: 'IN_FORCE',
      owner: { slug: POLICE },
      partner: { slug: SOLENT },
      rules: [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['urgency', 'reason'] }],
    });
  });

  it('shows the agreement to the partner’s admin and partner users, read-only', async () => {
    for (const caller of [solentAdmin, solentClinician]) {
      const response = await platform.graphql(caller, LIST);
      expect(response.errors).toBeUndefined();
      const mine = response.data!.dataSharingAgreements.find((agreement: { id: string }) => agreement.id === agreementId);
      expect(mine).toMatchObject({ state: 'IN_FORCE', owner: { slug: POLICE }, partner: { slug: SOLENT } });
    }
    // Each read of the owner's agreement by the partner is in the owner's log.
    const reads = (await auditEventsFor(databaseId(agreementId))).filter((event) => event.action === 'DATA_SHARING_AGREEMENT_READ');
    expect(reads.map((event) => event.actor_subject).sort()).toEqual(expect.arrayContaining(['solent-admin-1', 'solent-clinician-1']));
  });

  it('does not show it to an organisation that is not a party', async () => {
    const list = await platform.graphql(fireAdmin, LIST);
    expect(list.data!.dataSharingAgreements.map((agreement: { id: string }) => agreement.id)).not.toContain(agreementId);
    const node = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id: agreementId });
    expect(node.data!.node).toBeNull();
  });

  it('does not let the partner’s admin revoke it: to them it is not found', async () => {
    const response = await platform.graphql(solentAdmin, REVOKE, { input: { id: agreementId, reason: 'Not ours to revoke' } });
    expectError(response, 'NOT_FOUND');
    const after = await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on DataSharingAgreement { state } } }`, { id: agreementId });
    expect(after.data!.node.state).toBe('IN_FORCE');
  });

  it('records the creation in the owner’s audit log, with the rules and no free text about people', async () => {
    const events = await auditEventsFor(databaseId(agreementId));
    expect(events[0]).toMatchObject({
      action: 'DATA_SHARING_AGREEMENT_CREATED',
      actor_organisation_id: police,
      actor_subject: 'hc-admin-1',
      outcome: 'ALLOWED',
      purpose: validInput().purpose,
      details: { partnerOrganisationId: demoIds.organisation(SOLENT), status: 'ACTIVE', rules: [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['urgency', 'reason'] }] },
    });
  });

  it('revokes at once for the owner’s admin, audits it, and refuses a second revocation', async () => {
    const response = await platform.graphql(policeAdmin, REVOKE, { input: { id: agreementId, reason: 'Test over' } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.revokeDataSharingAgreement.agreement).toMatchObject({ state: 'REVOKED', revocationReason: 'Test over' });
    // The partner's reads of the agreement are logged too (DATA_SHARING_AGREEMENT_READ); the changes:
    const events = (await auditEventsFor(databaseId(agreementId))).filter((event) => event.action !== 'DATA_SHARING_AGREEMENT_READ');
    expect(events.map((event) => event.action)).toEqual(['DATA_SHARING_AGREEMENT_CREATED', 'DATA_SHARING_AGREEMENT_REVOKED']);
    expect(events[1]).toMatchObject({ actor_subject: 'hc-admin-1', details: { reason: 'Test over', previousStatus: 'ACTIVE' } });
    expectError(await platform.graphql(policeAdmin, REVOKE, { input: { id: agreementId, reason: 'Again' } }), 'CONFLICT');

    const partnerView = await platform.graphql(solentClinician, LIST);
    expect(partnerView.data!.dataSharingAgreements.find((agreement: { id: string }) => agreement.id === agreementId).state).toBe('REVOKED');
  });
});

it('keeps a purpose of the full 2000 characters, and its audit events name it (cut to the log’s 500)', async () => {
  const purpose = `Long purpose ${suffix} `.padEnd(2000, 'x');
  const response = await platform.graphql(policeAdmin, CREATE, { input: validInput({ title: `Long purpose ${suffix}`, purpose }) });
  expect(response.errors).toBeUndefined();
  const agreement = response.data!.createDataSharingAgreement.agreement;
  expect(agreement.purpose).toBe(purpose);
  const [event] = await auditEventsFor(databaseId(agreement.id));
  expect(event.purpose).toHaveLength(500);
  expect(event.purpose.startsWith(`Long purpose ${suffix}`)).toBe(true);
  await platform.graphql(policeAdmin, REVOKE, { input: { id: agreement.id, reason: 'Test over' } });
});

describe('who may create an agreement', () => {
  it('refuses staff with FORBIDDEN, and writes nothing', async () => {
    const title = `Staff attempt ${suffix}`;
    expectError(await platform.graphql(policeStaff, CREATE, { input: validInput({ title }) }), 'FORBIDDEN');
    const { rows } = await asTenant(owner, police, () => owner.query(`select 1 from data_sharing_agreement where title = $1`, [title]));
    expect(rows).toHaveLength(0);
  });

  it('refuses partner users and auditors too', async () => {
    expectError(await platform.graphql(solentClinician, CREATE, { input: validInput({ partnerOrganisationId: toGlobalId('Organisation', police) }) }), 'FORBIDDEN');
    expectError(await platform.graphql(personas.police.auditor, CREATE, { input: validInput() }), 'FORBIDDEN');
  });
});

describe('a malformed agreement', () => {
  const problemsOf = (response: GraphQLResponse) =>
    (expectError(response, 'BAD_USER_INPUT').extensions.problems as Array<{ field: string }>).map((problem) => problem.field);

  it('cannot share with the owner itself', async () => {
    const response = await platform.graphql(policeAdmin, CREATE, { input: validInput({ partnerOrganisationId: toGlobalId('Organisation', police) }) });
    expect(problemsOf(response)).toEqual(['partnerOrganisationId']);
  });

  it('cannot end before it starts', async () => {
    const response = await platform.graphql(policeAdmin, CREATE, { input: validInput({ validFrom: '2026-06-01', validTo: '2026-05-31' }) });
    expect(problemsOf(response)).toEqual(['validTo']);
  });

  it('cannot scope a field the resource does not have', async () => {
    const response = await platform.graphql(policeAdmin, CREATE, {
      input: validInput({ rules: [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['reason', 'dateOfBirth'] }] }),
    });
    expect(problemsOf(response)).toEqual(['rules[0].fieldScope']);
    expect(response.errors![0].extensions.problems).toEqual([{ field: 'rules[0].fieldScope', message: 'Not fields of REFERRAL: dateOfBirth' }]);
  });

  it('cannot hold two rules for one resource', async () => {
    const response = await platform.graphql(policeAdmin, CREATE, {
      input: validInput({
        rules: [
          { resource: 'REFERRAL', actions: ['READ'], fieldScope: [] },
          { resource: 'REFERRAL', actions: ['CONTRIBUTE'], fieldScope: [] },
        ],
      }),
    });
    expect(problemsOf(response)).toEqual(['rules[1].resource']);
  });

  it('reports every problem at once and writes nothing', async () => {
    const title = `Malformed ${suffix}`;
    const response = await platform.graphql(policeAdmin, CREATE, {
      input: validInput({
        title,
        partnerOrganisationId: toGlobalId('Organisation', police),
        validFrom: '2026-06-01',
        validTo: '2026-01-01',
        rules: [{ resource: 'REFERRAL', actions: ['READ'], fieldScope: ['nhsNumber'] }],
      }),
    });
    expect(problemsOf(response).sort()).toEqual(['partnerOrganisationId', 'rules[0].fieldScope', 'validTo']);
    const { rows } = await asTenant(owner, police, () => owner.query(`select 1 from data_sharing_agreement where title = $1`, [title]));
    expect(rows).toHaveLength(0);
  });
});

describe('one rule per resource between an owner and a partner', () => {
  it('refuses a second agreement in force sharing the same resource with the same partner (CONFLICT, nothing written), until the first is revoked', async () => {
    const partner = await createTestUnit(owner, 'second-rule', 'NHS_TRUST');
    const input = validInput({
      partnerOrganisationId: partner.globalId,
      title: `Inputs to ${partner.slug}`,
      rules: [{ resource: 'CARE_PLAN_INPUT', actions: ['READ'], fieldScope: [] }],
    });
    const first = await platform.graphql(policeAdmin, CREATE, { input });
    expect(first.errors).toBeUndefined();
    const count = async () =>
      (await asTenant(owner, police, () => owner.query(`select count(*)::int as n from data_sharing_agreement where partner_organisation_id = $1`, [partner.id])))
        .rows[0].n;

    const second = expectError(await platform.graphql(policeAdmin, CREATE, { input: { ...input, title: `${input.title} again` } }), 'CONFLICT');
    expect(second.message).toMatch(/already has a CARE_PLAN_INPUT rule/);
    expect(await count()).toBe(1);

    await platform.graphql(policeAdmin, REVOKE, { input: { id: first.data!.createDataSharingAgreement.agreement.id, reason: 'Replaced' } });
    expect((await platform.graphql(policeAdmin, CREATE, { input: { ...input, title: `${input.title} replacement` } })).errors).toBeUndefined();
    expect(await count()).toBe(2);
  });
});
