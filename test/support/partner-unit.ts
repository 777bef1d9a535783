import type { Client } from 'pg';
import { asTenant, toGlobalId, type Caller, type TestPlatform } from './platform';

/*
 * A throwaway partner organisation shaped like the seeded occupational-health unit, for tests
 * that revoke, expire or fill agreements: revoking the seeded unit's agreements would change
 * what other test files, running at the same time on the same database, see.
 */

export interface TestUnit {
  id: string;
  globalId: string;
  slug: string;
  name: string;
  /** SCHEME_ADMIN with a person record: creates the unit's services and agreements. */
  admin: Caller;
  /** PARTNER (and STAFF) with a person record, like oh-adviser-1. */
  adviser: Caller;
  /** AUDITOR with a person record: the unit's data protection officer. */
  dpo: Caller;
}

export async function createTestUnit(owner: Client, label: string, kind = 'OCCUPATIONAL_HEALTH'): Promise<TestUnit> {
  const slug = `test-${label}-${Math.random().toString(36).slice(2, 8)}`;
  const name = `Test unit ${slug}`;
  const { rows } = await owner.query(`insert into organisation (slug, name, kind) values ($1, $2, $3) returning id`, [slug, name, kind]);
  const id: string = rows[0].id;
  // Roles come from the platform's records (a token's roles only narrow them): each person
  // gets the roles its caller below acts with.
  await asTenant(owner, id, async () => {
    for (const [subject, employmentType, roles] of [
      [`${slug}-admin`, 'HEALTH_STAFF', ['SCHEME_ADMIN']],
      [`${slug}-adviser`, 'OCCUPATIONAL_HEALTH_ADVISER', ['PARTNER', 'STAFF']],
      [`${slug}-dpo`, 'HEALTH_STAFF', ['AUDITOR']],
    ] as const) {
      const { rows: people } = await owner.query(
        `insert into person (tenant_id, subject, display_name, work_email, employment_type, area) values ($1, $2, $2, $3, $4, 'Netley') returning id`,
        [id, subject, `${subject}@example.org`, employmentType],
      );
      await owner.query(`insert into role_assignment (tenant_id, person_id, role) select $1, $2, unnest($3::text[])`, [id, people[0].id, roles]);
    }
  });
  return {
    id,
    globalId: toGlobalId('Organisation', id),
    slug,
    name,
    admin: { organisation: slug, roles: ['SCHEME_ADMIN'], subject: `${slug}-admin` },
    adviser: { organisation: slug, roles: ['PARTNER', 'STAFF'], subject: `${slug}-adviser` },
    dpo: { organisation: slug, roles: ['AUDITOR'], subject: `${slug}-dpo` },
  };
}

export interface RuleInput {
  resource: 'REFERRAL' | 'SIGNPOSTING_SERVICE' | 'CARE_PLAN' | 'CARE_PLAN_INPUT';
  actions: Array<'READ' | 'CONTRIBUTE'>;
  fieldScope?: string[];
}

/** Creates an agreement through the API as the owner's admin; returns its global and database ids. */
export async function createAgreement(
  platform: TestPlatform,
  ownerAdmin: Caller,
  partnerOrganisationId: string,
  rules: RuleInput[],
  purpose = 'Testing cross-tenant access',
): Promise<{ globalId: string; id: string; purpose: string }> {
  const response = await platform.graphql(
    ownerAdmin,
    `mutation($input: CreateDataSharingAgreementInput!) { createDataSharingAgreement(input: $input) { agreement { id } } }`,
    {
      input: {
        partnerOrganisationId: toGlobalId('Organisation', partnerOrganisationId),
        title: `Test agreement ${Math.random().toString(36).slice(2, 8)}`,
        purpose,
        lawfulBasis: 'Test basis',
        validFrom: '2025-01-01',
        rules: rules.map((rule) => ({ fieldScope: [], ...rule })),
      },
    },
  );
  if (response.errors) throw new Error(`createDataSharingAgreement failed: ${JSON.stringify(response.errors)}`);
  const globalId: string = response.data!.createDataSharingAgreement.agreement.id;
  return { globalId, id: Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1], purpose };
}

/** Revokes an agreement through the API as the owner's admin. */
export async function revokeAgreement(platform: TestPlatform, ownerAdmin: Caller, globalId: string): Promise<void> {
  const response = await platform.graphql(
    ownerAdmin,
    `mutation($input: RevokeDataSharingAgreementInput!) { revokeDataSharingAgreement(input: $input) { agreement { state } } }`,
    { input: { id: globalId, reason: 'Test revocation' } },
  );
  if (response.errors) throw new Error(`revokeDataSharingAgreement failed: ${JSON.stringify(response.errors)}`);
}

/** Sets an agreement's last day as the owner would by amending it (no API for that yet). */
export async function setAgreementEnd(owner: Client, ownerTenantId: string, agreementId: string, validTo: string | null): Promise<void> {
  await asTenant(owner, ownerTenantId, () => owner.query(`update data_sharing_agreement set valid_to = $2 where id = $1`, [agreementId, validTo]));
}

/** Creates a signposting service through the API as the owner's admin; returns its global id. */
export async function createService(platform: TestPlatform, ownerAdmin: Caller, input: Record<string, unknown>): Promise<string> {
  const response = await platform.graphql(
    ownerAdmin,
    `mutation($input: CreateSignpostingServiceInput!) { createSignpostingService(input: $input) { service { id } } }`,
    { input },
  );
  if (response.errors) throw new Error(`createSignpostingService failed: ${JSON.stringify(response.errors)}`);
  return response.data!.createSignpostingService.service.id;
}

export const databaseIdOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/*
 * A scheme of its own inside a seeded organisation, with its own people, MILOs and support
 * requests, so referral tests add nothing to the seeded scheme's queues, caseloads or demand
 * figures that other files count. A scheme without training requirements: its ACTIVE
 * members are ACTIVE today.
 */

export interface TestScheme {
  tenantId: string;
  organisation: string;
  schemeId: string;
  /** A person of the organisation (STAFF) with a token subject; returns the person's id. */
  addPerson(label: string): Promise<{ id: string; caller: Caller }>;
  /** An ACTIVE membership of the scheme for a new person; returns the membership id and caller. */
  addMilo(label: string, role?: 'MILO' | 'LEAD_MILO'): Promise<{ id: string; personId: string; caller: Caller }>;
  /** A support request for a colleague, ASSIGNED to a MILO (or CLOSED). */
  addRequest(options: { requesterId: string; miloId: string; anonymous?: boolean; closed?: boolean; closedAt?: Date }): Promise<string>;
}

export async function createTestScheme(owner: Client, tenantId: string, organisation: string, label: string): Promise<TestScheme> {
  const tag = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  const employment = organisation.includes('fire') ? 'FIREFIGHTER' : 'POLICE_OFFICER';
  const { rows } = await asTenant(owner, tenantId, () =>
    owner.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, $2, 'Testing referrals', 'ACTIVE') returning id`, [tenantId, `Scheme ${tag}`]),
  );
  const schemeId: string = rows[0].id;
  const addPerson = async (name: string) => {
    const subject = `${tag}-${name}`;
    const result = await asTenant(owner, tenantId, () =>
      owner.query(
        `insert into person (tenant_id, subject, display_name, work_email, employment_type, area) values ($1, $2, $3, $4, $5, 'Testing') returning id`,
        [tenantId, subject, `Person ${subject}`, `${subject}@example.org`, employment],
      ),
    );
    await asTenant(owner, tenantId, () =>
      owner.query(`insert into role_assignment (tenant_id, person_id, role) values ($1, $2, 'STAFF')`, [tenantId, result.rows[0].id]),
    );
    return { id: result.rows[0].id as string, caller: { organisation, roles: ['STAFF'], subject } as Caller };
  };
  return {
    tenantId,
    organisation,
    schemeId,
    addPerson,
    async addMilo(name, role = 'MILO') {
      const person = await addPerson(name);
      const result = await asTenant(owner, tenantId, () =>
        owner.query(
          `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, capacity) values ($1, $2, $3, $4, 'ACTIVE', '2025-01-01', 'Testing', 10) returning id`,
          [tenantId, schemeId, person.id, role],
        ),
      );
      return { id: result.rows[0].id as string, personId: person.id, caller: person.caller };
    },
    async addRequest({ requesterId, miloId, anonymous = false, closed = false, closedAt }) {
      const closing = closedAt ?? (closed ? new Date() : null);
      const result = await asTenant(owner, tenantId, () =>
        owner.query(
          `insert into support_request (tenant_id, scheme_id, requester_person_id, anonymous, urgency, status, assigned_milo_id, assigned_at, closed_at)
           values ($1, $2, $3, $4, 'SOON', $5, $6, now(), $7) returning id`,
          [tenantId, schemeId, requesterId, anonymous, closing ? 'CLOSED' : 'ASSIGNED', miloId, closing],
        ),
      );
      return result.rows[0].id as string;
    },
  };
}
