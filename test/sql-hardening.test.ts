import type { Client } from 'pg';
import { config } from '../src/platform/config';
import { ownerClient } from './support/platform';
import { insertAgreement } from './support/partner-care-plans';
import { appClient, asApp, createOrganisation, refusalOf } from './support/partner-world';

/*
 * The SQL the policies and the server run cannot be redirected by the caller's session:
 * every function the migrations create has a fixed search_path (public, then pg_temp, so a
 * temporary table cannot stand in for a real one), and the application role cannot create
 * temporary objects at all (PUBLIC has no TEMP on the database).
 */

let owner: Client;
let app: Client;

beforeAll(async () => {
  owner = await ownerClient();
  app = await appClient();
});

afterAll(async () => {
  await app?.end();
  await owner?.end();
});

it('every function of the schema (policy helpers, owner lookups, triggers) runs with search_path = public, pg_temp, whatever the caller’s session says', async () => {
  const { rows } = await owner.query(
    `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature, p.proconfig as config
       from pg_proc p
      where p.pronamespace = 'public'::regnamespace and pg_get_userbyid(p.proowner) = $1
      order by 1`,
    [config().ownerRole],
  );
  const signatures = rows.map((row) => row.signature);
  // The ones the policies call, so the list cannot silently be empty.
  expect(signatures).toEqual(expect.arrayContaining(['app_grants(p_resource text, p_action text)', 'app_owners_granting(p_resource text, p_action text)', 'app_care_plan_owner(p_id uuid)']));
  const unpinned = rows.filter((row) => !(row.config ?? []).includes('search_path=public, pg_temp')).map((row) => row.signature);
  expect(unpinned).toEqual([]);
});

it('a temporary table named like a policy’s table cannot forge a grant: app_grants reads public.access_rule, not pg_temp’s', async () => {
  const forger = await createOrganisation(owner, 'sql-forger', 'NHS_TRUST');
  const victim = await createOrganisation(owner, 'sql-victim', 'POLICE');
  await owner.query('begin');
  try {
    await owner.query(`select set_config('app.tenant_id', $1, true)`, [forger.id]);
    // Shadows the real tables for an unqualified name, the way a session without a fixed search_path resolves it.
    await owner.query(`create temporary table access_rule (tenant_id uuid, agreement_id uuid, partner_organisation_id uuid, resource text, actions text[], field_scope text[], conditions jsonb) on commit drop`);
    await owner.query(`create temporary table data_sharing_agreement (tenant_id uuid, id uuid, status text, valid_from date, valid_to date) on commit drop`);
    await owner.query(`insert into pg_temp.data_sharing_agreement values ($1, $1, 'ACTIVE', '2000-01-01', null)`, [victim.id]);
    await owner.query(`insert into pg_temp.access_rule values ($1, $1, $2, 'CARE_PLAN', '{READ}', '{subjectIdentity}', '{"careTeamOnly": false}')`, [victim.id, forger.id]);
    const grants = await owner.query(`select app_grants('CARE_PLAN', 'READ') as grants, app_owners_granting('CARE_PLAN', 'READ') as owners`);
    expect(grants.rows[0]).toEqual({ grants: {}, owners: [] });
    expect((await owner.query(`select app_partnered_owners() as partnered`)).rows[0].partnered).toEqual([]);
  } finally {
    await owner.query('rollback');
  }
  // And the real agreement, once there is one, is what they read.
  await insertAgreement(owner, victim.id, forger.id, { rules: [{ resource: 'CARE_PLAN', actions: ['READ'] }] });
  await owner.query('begin');
  try {
    await owner.query(`select set_config('app.tenant_id', $1, true)`, [forger.id]);
    const { rows } = await owner.query(`select app_owners_granting('CARE_PLAN', 'READ') as owners`);
    expect(rows[0].owners).toEqual([victim.id]);
  } finally {
    await owner.query('rollback');
  }
});

it('the application role cannot create temporary tables or functions (no TEMP on the database for PUBLIC)', async () => {
  const organisation = await createOrganisation(owner, 'sql-temp', 'NHS_TRUST');
  const attempts = await asApp(app, organisation.id, async () => ({
    table: await refusalOf(app, `create temporary table access_rule (id uuid)`),
    function: await refusalOf(app, `create function pg_temp.now() returns timestamptz language sql as $$ select 'epoch'::timestamptz $$`),
    privilege: (await app.query(`select has_database_privilege(current_user, current_database(), 'TEMP') as temp`)).rows[0].temp,
  }));
  expect(attempts).toEqual({ table: '42501', function: '42501', privilege: false });
});
