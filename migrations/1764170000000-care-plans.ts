import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRole, makeTenantTable, ownerRole } from './support';

/**
 * Care plans and the partner access to them: a plan, its care team, its inputs, its
 * subject's identifying details and police-only notes, its version history; access-rule
 * conditions; partners reading the audit events of their own users.
 *
 * Where the rules are enforced in PostgreSQL:
 * - rows: a partner sees a plan only while an agreement in force grants CARE_PLAN READ and the
 *   rule's conditions hold (the partner is on the care team unless the rule says otherwise;
 *   consent GIVEN when the rule requires it); team rows and SHARED inputs only of plans it
 *   sees; INTERNAL inputs and police-only notes never;
 * - fields that are whole tables: the subject's identifying details only when the rule's field
 *   scope names `subjectIdentity`; internal notes live in a table partners have no policy on;
 * - writes: a partner may add SHARED inputs in its own name under CONTRIBUTE, and nothing else.
 * Which plan sections a partner reads (the rule's field scope) is applied by the service.
 *
 * The care team's organisations are copied onto the plan by a trigger, so the plan's policy
 * needs no sub-query on the team (whose own policy reads the plan: no recursion).
 */
export class CarePlans1764170000000 implements MigrationInterface {
  name = 'CarePlans1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const current = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
    const inForce = `agreement.status = 'ACTIVE'
           and agreement.valid_from <= (now() at time zone 'Europe/London')::date
           and (agreement.valid_to is null or agreement.valid_to >= (now() at time zone 'Europe/London')::date)`;

    // Each owner granting the caller a resource and action today, with the rule's conditions
    // and field scope merged over the owner's rules: {"<owner>": {"conditions": {…}, "fields": […]}}.
    await queryRunner.query(`
      CREATE FUNCTION app_grants(p_resource text, p_action text) RETURNS jsonb
      LANGUAGE sql STABLE AS $$
        select coalesce(jsonb_object_agg(owner_id, grant_terms), '{}'::jsonb)
          from (
            select rule.tenant_id::text as owner_id,
                   jsonb_build_object('conditions', (array_agg(rule.conditions))[1], 'fields', (array_agg(to_jsonb(rule.field_scope)))[1]) as grant_terms
              from access_rule rule
              join data_sharing_agreement agreement on agreement.tenant_id = rule.tenant_id and agreement.id = rule.agreement_id
             where rule.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
               and rule.resource = p_resource and p_action = any (rule.actions)
               and ${inForce}
             group by rule.tenant_id
          ) grants
      $$`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_grants(text, text) TO ${appRole()}`);

    await queryRunner.query(`
      CREATE TABLE care_plan (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$'),
        status text NOT NULL CHECK (status IN ('DRAFT','ACTIVE','UNDER_REVIEW','CLOSED')),
        lead_milo_id uuid,
        review_due_on date,
        lawful_basis text NOT NULL CHECK (length(lawful_basis) BETWEEN 1 AND 500),
        consent_status text NOT NULL DEFAULT 'NOT_RECORDED' CHECK (consent_status IN ('NOT_RECORDED','GIVEN','REFUSED','WITHDRAWN')),
        consent_scope text CHECK (length(consent_scope) <= 1000),
        consent_recorded_on date,
        presentation_and_triggers text CHECK (length(presentation_and_triggers) <= 4000),
        what_helps text CHECK (length(what_helps) <= 4000),
        what_to_avoid text CHECK (length(what_to_avoid) <= 4000),
        agreed_response text CHECK (length(agreed_response) <= 4000),
        contacts text CHECK (length(contacts) <= 4000),
        care_team_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        closed_at timestamptz,
        -- Why the plan was closed: free text, removed when the plan is anonymised.
        closure_reason text CHECK (length(closure_reason) BETWEEN 1 AND 1000),
        retain_until date,
        anonymised_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, reference),
        FOREIGN KEY (tenant_id, lead_milo_id) REFERENCES milo (tenant_id, id),
        FOREIGN KEY (tenant_id, created_by) REFERENCES person (tenant_id, id),
        CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL)),
        CHECK (closure_reason IS NULL OR status = 'CLOSED'),
        CHECK (anonymised_at IS NULL OR status = 'CLOSED'),
        CHECK ((consent_status = 'NOT_RECORDED') = (consent_recorded_on IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX care_plan_status_idx ON care_plan (tenant_id, status, review_due_on)`);
    await queryRunner.query(`CREATE INDEX care_plan_team_idx ON care_plan USING gin (care_team_organisation_ids)`);
    await makeTenantTable(queryRunner, 'care_plan', 'SELECT, INSERT, UPDATE');
    await queryRunner.query(`
      CREATE POLICY partner_read ON care_plan FOR SELECT USING (
        (select app_grants('CARE_PLAN', 'READ')) ? tenant_id::text
        AND (coalesce(((select app_grants('CARE_PLAN', 'READ')) -> tenant_id::text -> 'conditions' ->> 'careTeamOnly')::boolean, true) = false
             OR care_team_organisation_ids @> ARRAY[${current}])
        AND (coalesce(((select app_grants('CARE_PLAN', 'READ')) -> tenant_id::text -> 'conditions' ->> 'requireConsent')::boolean, false) = false
             OR consent_status = 'GIVEN')
      )`);

    // A plan's rows below are visible to a partner exactly when the plan is: the sub-query on
    // care_plan runs under care_plan's own policies.
    const planVisible = (table: string) =>
      `EXISTS (select 1 from care_plan plan where plan.tenant_id = ${table}.tenant_id and plan.id = ${table}.care_plan_id)`;

    await queryRunner.query(`
      CREATE TABLE care_plan_subject (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        care_plan_id uuid NOT NULL,
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        date_of_birth date,
        nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
        local_identifiers text CHECK (length(local_identifiers) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, care_plan_id),
        FOREIGN KEY (tenant_id, care_plan_id) REFERENCES care_plan (tenant_id, id)
      )`);
    // Anonymising a plan deletes its subject's details.
    await makeTenantTable(queryRunner, 'care_plan_subject', 'SELECT, INSERT, UPDATE, DELETE');
    await queryRunner.query(`
      CREATE POLICY partner_read ON care_plan_subject FOR SELECT USING (
        ((select app_grants('CARE_PLAN', 'READ')) -> tenant_id::text -> 'fields') ? 'subjectIdentity'
        AND ${planVisible('care_plan_subject')}
      )`);

    await queryRunner.query(`
      CREATE TABLE care_plan_internal_note (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        care_plan_id uuid NOT NULL,
        body text CHECK (length(body) BETWEEN 1 AND 4000),
        author_person_id uuid NOT NULL,
        removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, care_plan_id) REFERENCES care_plan (tenant_id, id),
        FOREIGN KEY (tenant_id, author_person_id) REFERENCES person (tenant_id, id),
        CHECK ((body IS NULL) = (removed_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX care_plan_internal_note_plan_idx ON care_plan_internal_note (tenant_id, care_plan_id, created_at)`);
    // Police-only: no partner policy, whatever an agreement says.
    await makeTenantTable(queryRunner, 'care_plan_internal_note', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE care_team_member (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        care_plan_id uuid NOT NULL,
        member_organisation_id uuid NOT NULL REFERENCES organisation(id),
        -- A person of the owner or of a partner: no foreign key across tenants, hence the name kept.
        member_person_id uuid,
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (length(role) BETWEEN 1 AND 100),
        added_by uuid,
        added_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, care_plan_id) REFERENCES care_plan (tenant_id, id),
        FOREIGN KEY (tenant_id, added_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX care_team_member_plan_idx ON care_team_member (tenant_id, care_plan_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX care_team_member_current ON care_team_member (tenant_id, care_plan_id, member_organisation_id, member_person_id) WHERE removed_at IS NULL`,
    );
    await makeTenantTable(queryRunner, 'care_team_member', 'SELECT, INSERT, UPDATE');
    await queryRunner.query(`
      CREATE POLICY partner_read ON care_team_member FOR SELECT USING (
        (select app_grants('CARE_PLAN', 'READ')) ? tenant_id::text AND ${planVisible('care_team_member')}
      )`);
    await queryRunner.query(`
      CREATE FUNCTION care_team_organisations_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row_changed care_team_member;
      BEGIN
        row_changed := coalesce(NEW, OLD);
        UPDATE care_plan plan
           SET care_team_organisation_ids = coalesce((
                 select array_agg(distinct member.member_organisation_id order by member.member_organisation_id)
                   from care_team_member member
                  where member.tenant_id = row_changed.tenant_id and member.care_plan_id = row_changed.care_plan_id
                    and member.removed_at is null), '{}')
         WHERE plan.tenant_id = row_changed.tenant_id AND plan.id = row_changed.care_plan_id;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER care_team_organisations_refresh AFTER INSERT OR UPDATE OR DELETE ON care_team_member
         FOR EACH ROW EXECUTE FUNCTION care_team_organisations_refresh()`,
    );

    await queryRunner.query(`
      CREATE TABLE care_plan_input (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        care_plan_id uuid NOT NULL,
        author_organisation_id uuid NOT NULL REFERENCES organisation(id),
        author_person_id uuid,
        author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('MILO','PARTNER','CARER')),
        carer_relationship text CHECK (length(carer_relationship) <= 100),
        body text CHECK (length(body) BETWEEN 1 AND 4000),
        visibility text NOT NULL CHECK (visibility IN ('SHARED','INTERNAL')),
        removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, care_plan_id) REFERENCES care_plan (tenant_id, id),
        CHECK ((body IS NULL) = (removed_at IS NOT NULL)),
        CHECK ((kind = 'CARER') = (carer_relationship IS NOT NULL) OR (removed_at IS NOT NULL AND carer_relationship IS NULL)),
        -- A partner's input is in its own name and shared: the owner cannot make it internal.
        CHECK (kind <> 'PARTNER' OR (visibility = 'SHARED' AND author_organisation_id <> tenant_id))
      )`);
    await queryRunner.query(`CREATE INDEX care_plan_input_plan_idx ON care_plan_input (tenant_id, care_plan_id, created_at)`);
    // Inputs are kept as written; UPDATE only so that anonymising a plan can remove their text.
    await makeTenantTable(queryRunner, 'care_plan_input', 'SELECT, INSERT, UPDATE');
    await queryRunner.query(`
      CREATE POLICY partner_read ON care_plan_input FOR SELECT USING (
        visibility = 'SHARED'
        AND (select app_grants('CARE_PLAN_INPUT', 'READ')) ? tenant_id::text
        AND ${planVisible('care_plan_input')}
      )`);
    await queryRunner.query(`
      CREATE POLICY partner_contribute ON care_plan_input FOR INSERT WITH CHECK (
        visibility = 'SHARED' AND kind = 'PARTNER'
        AND author_organisation_id = ${current}
        AND (select app_grants('CARE_PLAN_INPUT', 'CONTRIBUTE')) ? tenant_id::text
        AND ${planVisible('care_plan_input')}
      )`);
    // Only the owner edits inputs, and only to remove their text (anonymisation).
    await queryRunner.query(`
      CREATE FUNCTION care_plan_input_update_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.tenant_id, NEW.id, NEW.care_plan_id, NEW.author_organisation_id, NEW.author_person_id, NEW.kind, NEW.visibility, NEW.created_at)
             IS DISTINCT FROM
           (OLD.tenant_id, OLD.id, OLD.care_plan_id, OLD.author_organisation_id, OLD.author_person_id, OLD.kind, OLD.visibility, OLD.created_at)
           OR (NEW.body IS NOT NULL AND NEW.body IS DISTINCT FROM OLD.body)
           OR (NEW.carer_relationship IS NOT NULL AND NEW.carer_relationship IS DISTINCT FROM OLD.carer_relationship) THEN
          RAISE EXCEPTION 'a care plan input is kept as written; only its text may be removed' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER care_plan_input_update_guard BEFORE UPDATE ON care_plan_input FOR EACH ROW EXECUTE FUNCTION care_plan_input_update_guard()`,
    );

    await queryRunner.query(`
      CREATE TABLE care_plan_version (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        care_plan_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        snapshot jsonb NOT NULL,
        change_summary text NOT NULL CHECK (length(change_summary) BETWEEN 1 AND 500),
        changed_by uuid,
        changed_at timestamptz NOT NULL DEFAULT now(),
        anonymised_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, care_plan_id, version),
        FOREIGN KEY (tenant_id, care_plan_id) REFERENCES care_plan (tenant_id, id),
        FOREIGN KEY (tenant_id, changed_by) REFERENCES person (tenant_id, id)
      )`);
    await makeTenantTable(queryRunner, 'care_plan_version', 'SELECT, INSERT, UPDATE');
    // History is written once; the only change allowed is emptying a snapshot on anonymisation.
    await queryRunner.query(`
      CREATE FUNCTION care_plan_version_update_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.tenant_id, NEW.id, NEW.care_plan_id, NEW.version, NEW.change_summary, NEW.changed_by, NEW.changed_at)
             IS DISTINCT FROM
           (OLD.tenant_id, OLD.id, OLD.care_plan_id, OLD.version, OLD.change_summary, OLD.changed_by, OLD.changed_at)
           OR NEW.snapshot <> '{}'::jsonb OR NEW.anonymised_at IS NULL THEN
          RAISE EXCEPTION 'care plan history is kept as written; it may only be emptied when the plan is anonymised' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER care_plan_version_update_guard BEFORE UPDATE ON care_plan_version FOR EACH ROW EXECUTE FUNCTION care_plan_version_update_guard()`,
    );

    // Whose record a refused partner asked for, so the refusal is audited in the owner's log
    // even though the partner cannot see the row: security-definer lookups of the owner only.
    // They run as the schema owner, and a policy lets the owner find any plan or input by id
    // only while the function's own setting app.owner_lookup is on: outside these functions
    // the owner is bound by row-level security like everyone else. They return a tenant id,
    // never content, and are used only for audit events.
    const lookups = [
      ['app_care_plan_owner', 'care_plan'],
      ['app_care_plan_input_owner', 'care_plan_input'],
      ['app_care_team_member_owner', 'care_team_member'],
      ['app_care_plan_internal_note_owner', 'care_plan_internal_note'],
    ];
    for (const [, table] of lookups) {
      await queryRunner.query(
        `CREATE POLICY owner_lookup ON ${table} FOR SELECT TO ${ownerRole()} USING (current_setting('app.owner_lookup', true) = 'on')`,
      );
    }
    for (const [fn, table] of lookups) {
      // plpgsql with set_config rather than a SET clause: PostgreSQL lets only superusers put
      // a custom setting in a function's SET clause.
      await queryRunner.query(`
        CREATE FUNCTION ${fn}(p_id uuid) RETURNS uuid
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
    for (const [fn] of lookups) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn}(uuid) FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn}(uuid) TO ${appRole()}`);
    }

    // A partner's data protection officer sees what its own users did in owners' logs.
    await queryRunner.query(`CREATE POLICY actor_read ON audit_event FOR SELECT USING (actor_organisation_id = ${current})`);
    await queryRunner.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_organisation_id, occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX audit_event_actor_idx`);
    await queryRunner.query(`DROP POLICY actor_read ON audit_event`);
    for (const table of ['care_plan_version', 'care_plan_input', 'care_team_member', 'care_plan_internal_note', 'care_plan_subject', 'care_plan']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    for (const fn of ['app_care_plan_internal_note_owner(uuid)', 'app_care_team_member_owner(uuid)', 'app_care_plan_input_owner(uuid)', 'app_care_plan_owner(uuid)', 'care_plan_version_update_guard()', 'care_plan_input_update_guard()', 'care_team_organisations_refresh()', 'app_grants(text, text)']) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
  }
}
