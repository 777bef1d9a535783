import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRole, ownerRole } from './support';

/**
 * Partner access hardening: who may learn whose a record is, whose log a partner may write
 * to, and the functions policies and the server call, with a fixed search_path.
 *
 * - app_partnered_owners(): the owners with an agreement in force naming the caller's
 *   organisation as partner (any resource). A partnership in force is what lets a partner
 *   learn that an owner's record exists and have its refusals logged in the owner's log;
 *   an organisation without one learns nothing and writes nothing there.
 * - actor_insert on audit_event: an organisation appends events in its own name to its own
 *   log (tenant_isolation) or to the log of an owner it is a partner of today; before, it
 *   could append to any organisation's log.
 * - the owner lookups answer only for the caller's own records and those of its partnered
 *   owners (null otherwise, as for an unknown id), each in its own table, and there are
 *   lookups for every record a partner can name by id.
 * - every function the migrations create runs with search_path = public, pg_temp, so a
 *   schema or temporary object of the caller's cannot stand in for a table they read;
 *   PUBLIC loses TEMP on the database (when the migrating role may revoke it; the migrate
 *   step's bootstrap identity revokes it too, see database/roles.ts).
 */
export class PartnerAccessHardening1764180000000 implements MigrationInterface {
  name = 'PartnerAccessHardening1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const current = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;

    // Invoker's rights: the partner reads the agreements naming it through partner_read, and
    // the explicit partner filter keeps the answer the same inside the owner lookups below.
    await queryRunner.query(`
      CREATE FUNCTION app_partnered_owners() RETURNS uuid[]
      LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        select coalesce(array_agg(distinct agreement.tenant_id), '{}')
          from data_sharing_agreement agreement
         where agreement.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
           and agreement.status = 'ACTIVE'
           and agreement.valid_from <= (now() at time zone 'Europe/London')::date
           and (agreement.valid_to is null or agreement.valid_to >= (now() at time zone 'Europe/London')::date)
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION app_partnered_owners() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_partnered_owners() TO ${appRole()}`);

    await queryRunner.query(`DROP POLICY actor_insert ON audit_event`);
    await queryRunner.query(`
      CREATE POLICY actor_insert ON audit_event FOR INSERT WITH CHECK (
        actor_organisation_id = ${current}
        AND tenant_id = ANY ((select app_partnered_owners())::uuid[])
      )`);

    // Lookups of records a partner can name by id whose tables had none.
    for (const table of OWNER_LOOKUPS.filter(({ added }) => added).map(({ table }) => table)) {
      await queryRunner.query(
        `CREATE POLICY owner_lookup ON ${table} FOR SELECT TO ${ownerRole()} USING (current_setting('app.owner_lookup', true) = 'on')`,
      );
    }
    for (const { fn, table } of OWNER_LOOKUPS) {
      // The caller's own organisation and its partnered owners are worked out before the
      // lookup policy is switched on, and bound the search by tenant_id: the primary key
      // finds the row, and an id of an unrelated owner is not there, as an unknown id is not.
      await queryRunner.query(`
        CREATE OR REPLACE FUNCTION ${fn}(p_id uuid) RETURNS uuid
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          knowable uuid[];
          owner_id uuid;
        BEGIN
          knowable := app_partnered_owners() || nullif(current_setting('app.tenant_id', true), '')::uuid;
          PERFORM set_config('app.owner_lookup', 'on', true);
          SELECT tenant_id INTO owner_id FROM ${table} WHERE tenant_id = ANY (knowable) AND id = p_id;
          PERFORM set_config('app.owner_lookup', '', true);
          RETURN owner_id;
        END
        $$`);
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn}(uuid) FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn}(uuid) TO ${appRole()}`);
    }

    for (const signature of PINNED_FUNCTIONS) {
      await queryRunner.query(`ALTER FUNCTION ${signature} SET search_path = public, pg_temp`);
    }

    // Only the database's owner (or a superuser) can take TEMP from PUBLIC; where the
    // migrating role is neither, the migrate step's bootstrap identity has done it.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (select 1 from pg_database d where d.datname = current_database() and pg_has_role(current_user, d.datdba, 'MEMBER'))
           OR EXISTS (select 1 from pg_roles r where r.rolname = current_user and r.rolsuper) THEN
          EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const signature of PINNED_FUNCTIONS) {
      await queryRunner.query(`ALTER FUNCTION ${signature} RESET search_path`);
    }
    for (const { fn, table, added } of OWNER_LOOKUPS) {
      if (added) {
        await queryRunner.query(`DROP FUNCTION ${fn}(uuid)`);
        await queryRunner.query(`DROP POLICY owner_lookup ON ${table}`);
        continue;
      }
      await queryRunner.query(`
        CREATE OR REPLACE FUNCTION ${fn}(p_id uuid) RETURNS uuid
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          owner_id uuid;
        BEGIN
          PERFORM set_config('app.owner_lookup', 'on', true);
          SELECT tenant_id INTO owner_id FROM ${table} WHERE id = p_id;
          PERFORM set_config('app.owner_lookup', '', true);
          RETURN owner_id;
        END
        $$`);
    }
    await queryRunner.query(`DROP POLICY actor_insert ON audit_event`);
    await queryRunner.query(
      `CREATE POLICY actor_insert ON audit_event FOR INSERT WITH CHECK (actor_organisation_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))`,
    );
    await queryRunner.query(`DROP FUNCTION app_partnered_owners()`);
  }
}

/** The owner lookups by table: the care-plans migration's four, and the ones added here. */
const OWNER_LOOKUPS = [
  { fn: 'app_care_plan_owner', table: 'care_plan', added: false },
  { fn: 'app_care_plan_input_owner', table: 'care_plan_input', added: false },
  { fn: 'app_care_team_member_owner', table: 'care_team_member', added: false },
  { fn: 'app_care_plan_internal_note_owner', table: 'care_plan_internal_note', added: false },
  { fn: 'app_referral_owner', table: 'referral', added: true },
  { fn: 'app_signposting_service_owner', table: 'signposting_service', added: true },
  { fn: 'app_data_sharing_agreement_owner', table: 'data_sharing_agreement', added: true },
  { fn: 'app_access_rule_owner', table: 'access_rule', added: true },
  { fn: 'app_audit_event_owner', table: 'audit_event', added: true },
];

/** Functions of earlier migrations that ran with the caller's search_path. */
const PINNED_FUNCTIONS = [
  'app_grants(text, text)',
  'app_owners_granting(text, text)',
  'referral_partner_update_guard()',
  'care_team_organisations_refresh()',
  'care_plan_input_update_guard()',
  'care_plan_version_update_guard()',
];
