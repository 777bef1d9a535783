import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRole, CURRENT_TENANT } from './support';

/*
 * SQL conventions (docs/architecture.md, "SQL conventions"):
 * - app_current_tenant(): the caller's organisation, the one setting policies read. Every
 *   policy calls it as `(select app_current_tenant())`, so PostgreSQL evaluates it once per
 *   statement, not once per row, and the index on tenant_id serves the comparison.
 * - app_agreements_in_force(): the agreements naming the caller as partner that are in force
 *   today (ACTIVE, valid_from reached, valid_to not passed, UK calendar). app_grants,
 *   app_owners_granting and app_partnered_owners all ask it, so "in force" is written once.
 *
 * The policies are rewritten from the catalogue rather than re-created by hand: every policy
 * expression that spells the setting out gets the function instead, and the migration fails
 * if one is left, so no policy can be missed.
 */

/** How PostgreSQL prints the sub-select the earlier migrations wrote into policies. */
const SPELLED_OUT = /\(\s*SELECT\s+\(NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\)\)::uuid AS "?nullif"?\)/g;
const SPELLED_OUT_SOURCE = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;

interface PolicyRow {
  table: string;
  policy: string;
  qual: string | null;
  check: string | null;
}

async function tenantPolicies(queryRunner: QueryRunner): Promise<PolicyRow[]> {
  return queryRunner.query(
    `select tablename as table, policyname as policy, qual, with_check as check
       from pg_policies where schemaname = 'public' order by tablename, policyname`,
  );
}

/** Rewrites each policy's expressions with `rewrite`, leaving untouched the ones it does not change. */
async function rewritePolicies(queryRunner: QueryRunner, rewrite: (expression: string) => string): Promise<void> {
  for (const row of await tenantPolicies(queryRunner)) {
    const clauses: string[] = [];
    if (row.qual !== null && rewrite(row.qual) !== row.qual) clauses.push(`USING (${rewrite(row.qual)})`);
    if (row.check !== null && rewrite(row.check) !== row.check) clauses.push(`WITH CHECK (${rewrite(row.check)})`);
    if (clauses.length) await queryRunner.query(`ALTER POLICY "${row.policy}" ON public."${row.table}" ${clauses.join(' ')}`);
  }
}

const IN_FORCE_BEFORE = `agreement.status = 'ACTIVE'
           and agreement.valid_from <= (now() at time zone 'Europe/London')::date
           and (agreement.valid_to is null or agreement.valid_to >= (now() at time zone 'Europe/London')::date)`;

export class SqlConventions1764210000000 implements MigrationInterface {
  name = 'SqlConventions1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // nullif: a setting reverted at the end of a transaction reads as '', which must match no
    // row rather than fail the cast.
    await queryRunner.query(`
      CREATE FUNCTION app_current_tenant() RETURNS uuid
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select nullif(current_setting('app.tenant_id', true), '')::uuid
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION app_current_tenant() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_current_tenant() TO ${appRole()}`);

    // Invoker's rights: the partner reads the agreements naming it through partner_read.
    await queryRunner.query(`
      CREATE FUNCTION app_agreements_in_force() RETURNS TABLE (owner_id uuid, agreement_id uuid)
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select agreement.tenant_id, agreement.id
          from data_sharing_agreement agreement
         where agreement.partner_organisation_id = app_current_tenant()
           and agreement.status = 'ACTIVE'
           and agreement.valid_from <= (now() at time zone 'Europe/London')::date
           and (agreement.valid_to is null or agreement.valid_to >= (now() at time zone 'Europe/London')::date)
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION app_agreements_in_force() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_agreements_in_force() TO ${appRole()}`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_partnered_owners() RETURNS uuid[]
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(array_agg(distinct owner_id), '{}') from app_agreements_in_force()
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_owners_granting(p_resource text, p_action text) RETURNS uuid[]
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(array_agg(distinct rule.tenant_id), '{}')
          from access_rule rule
          join app_agreements_in_force() agreement
            on agreement.owner_id = rule.tenant_id and agreement.agreement_id = rule.agreement_id
         where rule.partner_organisation_id = app_current_tenant()
           and rule.resource = p_resource
           and p_action = any (rule.actions)
      $$`);
    // Each owner granting the caller a resource and action today, with the rule's conditions
    // and field scope: {"<owner>": {"conditions": {…}, "fields": […]}}.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_grants(p_resource text, p_action text) RETURNS jsonb
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(jsonb_object_agg(owner_id, grant_terms), '{}'::jsonb)
          from (
            select rule.tenant_id::text as owner_id,
                   jsonb_build_object('conditions', (array_agg(rule.conditions))[1], 'fields', (array_agg(to_jsonb(rule.field_scope)))[1]) as grant_terms
              from access_rule rule
              join app_agreements_in_force() agreement
                on agreement.owner_id = rule.tenant_id and agreement.agreement_id = rule.agreement_id
             where rule.partner_organisation_id = app_current_tenant()
               and rule.resource = p_resource and p_action = any (rule.actions)
             group by rule.tenant_id
          ) grants
      $$`);

    await rewritePolicies(queryRunner, (expression) => expression.replace(SPELLED_OUT, CURRENT_TENANT));
    const left = (await tenantPolicies(queryRunner)).filter((row) =>
      [row.qual, row.check].some((expression) => expression?.includes("current_setting('app.tenant_id'")),
    );
    if (left.length) {
      throw new Error(`Policies still reading app.tenant_id directly: ${left.map((row) => `${row.table}.${row.policy}`).join(', ')}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rewritePolicies(queryRunner, (expression) =>
      expression.replace(/\(\s*SELECT\s+app_current_tenant\(\) AS app_current_tenant\)/g, SPELLED_OUT_SOURCE),
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_partnered_owners() RETURNS uuid[]
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(array_agg(distinct agreement.tenant_id), '{}')
          from data_sharing_agreement agreement
         where agreement.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
           and ${IN_FORCE_BEFORE}
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_owners_granting(p_resource text, p_action text) RETURNS uuid[]
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(array_agg(distinct rule.tenant_id), '{}')
          from access_rule rule
          join data_sharing_agreement agreement
            on agreement.tenant_id = rule.tenant_id and agreement.id = rule.agreement_id
         where rule.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
           and rule.resource = p_resource
           and p_action = any (rule.actions)
           and ${IN_FORCE_BEFORE}
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION app_grants(p_resource text, p_action text) RETURNS jsonb
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(jsonb_object_agg(owner_id, grant_terms), '{}'::jsonb)
          from (
            select rule.tenant_id::text as owner_id,
                   jsonb_build_object('conditions', (array_agg(rule.conditions))[1], 'fields', (array_agg(to_jsonb(rule.field_scope)))[1]) as grant_terms
              from access_rule rule
              join data_sharing_agreement agreement on agreement.tenant_id = rule.tenant_id and agreement.id = rule.agreement_id
             where rule.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
               and rule.resource = p_resource and p_action = any (rule.actions)
               and ${IN_FORCE_BEFORE}
             group by rule.tenant_id
          ) grants
      $$`);
    await queryRunner.query(`DROP FUNCTION app_agreements_in_force()`);
    await queryRunner.query(`DROP FUNCTION app_current_tenant()`);
  }
}
