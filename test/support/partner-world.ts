import { Client } from 'pg';
import type { OrganisationRole } from '../../src/platform/auth/roles';
import { asTenant, type Caller } from './platform';
import { insertAgreement, insertPlan, type ArrangedPlan } from './partner-care-plans';

/*
 * A small world of throwaway organisations for the partner-refusal tests, arranged behind the
 * API's back as the schema owner, so nothing seeded changes and nothing here depends on what
 * other files do:
 *
 * - `owner` (a police force) holds one record of every type a partner can name by id, each
 *   one the partner may NOT have;
 * - `partner` (an NHS trust) holds an agreement in force from the owner (care plans on whose
 *   team it is, their shared inputs);
 * - `third` receives the owner's referrals under an agreement of its own;
 * - `stranger` (another NHS trust) has no agreement with the owner at all.
 *
 * People hold their roles as role assignments (the platform's records) and in their tokens.
 */

export interface WorldOrganisation {
  id: string;
  slug: string;
  name: string;
}

export interface PartnerWorld {
  owner: WorldOrganisation;
  partner: WorldOrganisation;
  third: WorldOrganisation;
  stranger: WorldOrganisation;
  /** PARTNER and AUDITOR of the partner: reads plans shared with it and its own users' events. */
  partnerUser: Caller;
  /** PARTNER and AUDITOR of the stranger. */
  strangerUser: Caller;
  /** An ACTIVE MILO of the owner (authors notes, sends referrals). */
  ownerMilo: { personId: string; miloId: string; caller: Caller };
  /** The owner's plan the partner is not on the team of (careTeamOnly). */
  unsharedPlan: ArrangedPlan;
  /** The owner's plan the partner is on the team of: an INTERNAL and a SHARED input, a police-only note. */
  sharedPlan: ArrangedPlan;
  /** One record of the owner per type that the partner may not have. */
  refused: {
    CarePlan: string;
    CarePlanInput: string;
    CareTeamMember: string;
    CarePlanInternalNote: string;
    Referral: string;
    SignpostingService: string;
    DataSharingAgreement: string;
    AccessRule: string;
    AuditEvent: string;
  };
  /** A member of the shared plan's team who has been removed (partners see the team as it is now). */
  removedMember: string;
}

export type RefusedType = keyof PartnerWorld['refused'];

const tag = () => Math.random().toString(36).slice(2, 8);

export async function createOrganisation(owner: Client, label: string, kind: string): Promise<WorldOrganisation> {
  const slug = `test-${label}-${tag()}`;
  const name = `Test ${label} ${slug}`;
  const { rows } = await owner.query(`insert into organisation (slug, name, kind) values ($1, $2, $3) returning id`, [slug, name, kind]);
  return { id: rows[0].id, slug, name };
}

/** A person with these roles recorded (role assignments) and asserted by their token. */
export async function addPerson(owner: Client, organisation: WorldOrganisation, label: string, roles: OrganisationRole[], employmentType = 'HEALTH_STAFF') {
  const subject = `${organisation.slug}-${label}`;
  const personId = await asTenant(owner, organisation.id, async () => {
    const { rows } = await owner.query(
      `insert into person (tenant_id, subject, display_name, work_email, employment_type, area) values ($1, $2, $2, $3, $4, 'Testing') returning id`,
      [organisation.id, subject, `${subject}@example.org`, employmentType],
    );
    for (const role of roles) {
      await owner.query(`insert into role_assignment (tenant_id, person_id, role) values ($1, $2, $3)`, [organisation.id, rows[0].id, role]);
    }
    return rows[0].id as string;
  });
  return { personId, caller: { organisation: organisation.slug, roles, subject } as Caller };
}

export async function arrangePartnerWorld(owner: Client, label: string): Promise<PartnerWorld> {
  const ownerOrg = await createOrganisation(owner, `${label}-owner`, 'POLICE');
  const partner = await createOrganisation(owner, `${label}-partner`, 'NHS_TRUST');
  const third = await createOrganisation(owner, `${label}-third`, 'OCCUPATIONAL_HEALTH');
  const stranger = await createOrganisation(owner, `${label}-stranger`, 'NHS_TRUST');
  const partnerUser = (await addPerson(owner, partner, 'clinician', ['PARTNER', 'AUDITOR'])).caller;
  const strangerUser = (await addPerson(owner, stranger, 'clinician', ['PARTNER', 'AUDITOR'])).caller;
  const milo = await addPerson(owner, ownerOrg, 'milo', ['STAFF'], 'POLICE_OFFICER');

  await insertAgreement(owner, ownerOrg.id, partner.id, {
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'], conditions: { careTeamOnly: true } },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ'] },
    ],
  });
  const toThird = await insertAgreement(owner, ownerOrg.id, third.id, { rules: [{ resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'] }] });

  const { miloId, schemeId } = await asTenant(owner, ownerOrg.id, async () => {
    const scheme = await owner.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, 'Test scheme', 'Testing refusals', 'ACTIVE') returning id`, [
      ownerOrg.id,
    ]);
    const membership = await owner.query(
      `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, capacity) values ($1, $2, $3, 'MILO', 'ACTIVE', '2025-01-01', 'Testing', 10) returning id`,
      [ownerOrg.id, scheme.rows[0].id, milo.personId],
    );
    return { miloId: membership.rows[0].id as string, schemeId: scheme.rows[0].id as string };
  });

  const unsharedPlan = await insertPlan(owner, ownerOrg.id, {});
  const sharedPlan = await insertPlan(owner, ownerOrg.id, {
    team: [partner.id],
    inputs: [{ visibility: 'INTERNAL' }, { visibility: 'SHARED' }],
    noteAuthorId: milo.personId,
  });

  const records = await asTenant(owner, ownerOrg.id, async () => {
    const removed = await owner.query(
      `insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, display_name, role, removed_at)
       values ($1, $2, $1, 'Former member (test)', 'Test role', now()) returning id`,
      [ownerOrg.id, sharedPlan.id],
    );
    const request = await owner.query(
      `insert into support_request (tenant_id, scheme_id, requester_person_id, anonymous, urgency, status, assigned_milo_id, assigned_at)
       values ($1, $2, $3, false, 'SOON', 'ASSIGNED', $4, now()) returning id`,
      [ownerOrg.id, schemeId, milo.personId, miloId],
    );
    const service = await owner.query(`insert into signposting_service (tenant_id, name, category) values ($1, 'Test wellbeing line', 'OTHER') returning id`, [
      ownerOrg.id,
    ]);
    const referral = await owner.query(
      `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency, consent_confirmed, reason, status)
       values ($1, $2, $3, $4, $5, 'Test intake', $6, 'SOON', true, 'A reason', 'SENT') returning id`,
      [ownerOrg.id, request.rows[0].id, toThird.id, third.id, service.rows[0].id, milo.personId],
    );
    const event = await owner.query(
      `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, outcome)
       values ($1, $1, $2, $3, 'CARE_PLAN_UPDATED', 'CarePlan', $4, 'ALLOWED') returning id`,
      [ownerOrg.id, milo.personId, milo.caller.subject, unsharedPlan.id],
    );
    return { removed: removed.rows[0].id, referral: referral.rows[0].id, service: service.rows[0].id, event: event.rows[0].id };
  });

  return {
    owner: ownerOrg,
    partner,
    third,
    stranger,
    partnerUser,
    strangerUser,
    ownerMilo: { personId: milo.personId, miloId, caller: milo.caller },
    unsharedPlan,
    sharedPlan,
    refused: {
      CarePlan: unsharedPlan.id,
      CarePlanInput: sharedPlan.inputIds[0],
      CareTeamMember: unsharedPlan.teamMemberIds[0],
      CarePlanInternalNote: sharedPlan.noteId!,
      Referral: records.referral,
      SignpostingService: records.service,
      DataSharingAgreement: toThird.id,
      AccessRule: toThird.ruleIds[0],
      AuditEvent: records.event,
    },
    removedMember: records.removed,
  };
}

/** The application role's own connection: the server's login, NOSUPERUSER NOBYPASSRLS. */
export async function appClient(): Promise<Client> {
  const client = new Client({ connectionString: process.env.TEST_APP_URL });
  await client.connect();
  return client;
}

/** Runs work as the application role with a tenant context set as the server sets it, then rolls back. */
export async function asApp<T>(app: Client, tenantId: string, work: () => Promise<T>): Promise<T> {
  await app.query('begin');
  try {
    await app.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    return await work();
  } finally {
    await app.query('rollback');
  }
}

/** The SQLSTATE PostgreSQL raises for a statement, or null when it succeeds (inside asApp). */
export async function refusalOf(app: Client, sql: string, parameters: unknown[] = []): Promise<string | null> {
  await app.query('savepoint attempt');
  try {
    await app.query(sql, parameters);
    await app.query('release savepoint attempt');
    return null;
  } catch (error) {
    await app.query('rollback to savepoint attempt');
    return (error as { code?: string }).code ?? 'unknown';
  }
}
