import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRole, makeTenantTable } from './support';

/**
 * Support work: organisation taxonomies, data sharing agreements with their access
 * rules, the signposting directory, support requests with assignments, contacts and
 * signposting, advice requests, referrals to partner services, feedback with one-time links.
 *
 * Cross-tenant reads are policies too (docs/architecture.md, "SQL conventions"): a partner sees another tenant's row only
 * while an ACTIVE, in-date agreement of that tenant holds an access rule for the resource and
 * action. app_owners_granting() answers "which owners grant me this?" once per statement (it is
 * called inside a sub-select), so the policy compares the indexed tenant_id with an array.
 */
export class SupportWork1764160000000 implements MigrationInterface {
  name = 'SupportWork1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const current = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;

    await queryRunner.query(`
      ALTER TABLE scheme
        ADD COLUMN support_target_hours integer NOT NULL DEFAULT 72 CHECK (support_target_hours BETWEEN 1 AND 2160),
        ADD COLUMN free_text_retention_days integer NOT NULL DEFAULT 365 CHECK (free_text_retention_days BETWEEN 0 AND 3650),
        ADD COLUMN crisis_guidance text CHECK (length(crisis_guidance) <= 2000)`);

    await queryRunner.query(`
      CREATE TABLE taxonomy_term (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        taxonomy text NOT NULL CHECK (taxonomy IN ('SUPPORT_THEME','CONTACT_OUTCOME','CLOSURE_OUTCOME','TRAINING_NEED')),
        code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{0,49}$'),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 1000),
        position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, taxonomy, code)
      )`);
    // Terms are retired, never deleted: contacts and feedback keep the codes they were given.
    await makeTenantTable(queryRunner, 'taxonomy_term', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE data_sharing_agreement (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_organisation_id uuid NOT NULL REFERENCES organisation(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),
        lawful_basis text NOT NULL CHECK (length(lawful_basis) BETWEEN 1 AND 500),
        valid_from date NOT NULL,
        valid_to date,
        status text NOT NULL CHECK (status IN ('DRAFT','ACTIVE','REVOKED')),
        owner_signatory text CHECK (length(owner_signatory) <= 200),
        partner_signatory text CHECK (length(partner_signatory) <= 200),
        revoked_at timestamptz,
        revoked_by uuid,
        revocation_reason text CHECK (length(revocation_reason) <= 1000),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, id, partner_organisation_id),
        FOREIGN KEY (tenant_id, created_by) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, revoked_by) REFERENCES person (tenant_id, id),
        CHECK (partner_organisation_id <> tenant_id),
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX data_sharing_agreement_partner_idx ON data_sharing_agreement (partner_organisation_id, tenant_id)`);
    await makeTenantTable(queryRunner, 'data_sharing_agreement', 'SELECT, INSERT, UPDATE');
    // The partner sees the agreements it is party to, and changes none of them.
    await queryRunner.query(
      `CREATE POLICY partner_read ON data_sharing_agreement FOR SELECT USING (partner_organisation_id = ${current})`,
    );

    await queryRunner.query(`
      CREATE TABLE access_rule (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL,
        partner_organisation_id uuid NOT NULL,
        resource text NOT NULL CHECK (resource IN ('CARE_PLAN','CARE_PLAN_INPUT','REFERRAL','SIGNPOSTING_SERVICE')),
        actions text[] NOT NULL CHECK (cardinality(actions) >= 1 AND actions <@ ARRAY['READ','CONTRIBUTE']),
        field_scope text[] NOT NULL DEFAULT '{}',
        conditions jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, agreement_id, resource),
        -- The partner is copied from the agreement (and held to it) so the policies below can
        -- find a partner's rules by an index instead of joining per row.
        FOREIGN KEY (tenant_id, agreement_id, partner_organisation_id)
          REFERENCES data_sharing_agreement (tenant_id, id, partner_organisation_id)
      )`);
    await queryRunner.query(`CREATE INDEX access_rule_partner_idx ON access_rule (partner_organisation_id, resource, tenant_id)`);
    await makeTenantTable(queryRunner, 'access_rule', 'SELECT, INSERT, UPDATE, DELETE');
    await queryRunner.query(`CREATE POLICY partner_read ON access_rule FOR SELECT USING (partner_organisation_id = ${current})`);

    // Invoker's rights: the partner reads the rules through partner_read above, so no
    // security-definer function is needed and the caller's own context decides.
    await queryRunner.query(`
      CREATE FUNCTION app_owners_granting(p_resource text, p_action text) RETURNS uuid[]
      LANGUAGE sql STABLE AS $$
        select coalesce(array_agg(distinct rule.tenant_id), '{}')
          from access_rule rule
          join data_sharing_agreement agreement
            on agreement.tenant_id = rule.tenant_id and agreement.id = rule.agreement_id
         where rule.partner_organisation_id = nullif(current_setting('app.tenant_id', true), '')::uuid
           and rule.resource = p_resource
           and p_action = any (rule.actions)
           and agreement.status = 'ACTIVE'
           and agreement.valid_from <= (now() at time zone 'Europe/London')::date
           and (agreement.valid_to is null or agreement.valid_to >= (now() at time zone 'Europe/London')::date)
      $$`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_owners_granting(text, text) TO ${appRole()}`);

    await queryRunner.query(`
      CREATE TABLE signposting_service (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        category text NOT NULL CHECK (category IN ('OCCUPATIONAL_HEALTH','EMPLOYEE_SUPPORT','PEER_SUPPORT','NHS_CRISIS','EMERGENCY','CHARITY','OTHER')),
        description text CHECK (length(description) <= 2000),
        phone text CHECK (length(phone) <= 50),
        email text CHECK (length(email) <= 320),
        website text CHECK (length(website) <= 500),
        availability text CHECK (length(availability) <= 200),
        eligibility text CHECK (length(eligibility) <= 1000),
        crisis boolean NOT NULL DEFAULT false,
        accepts_referrals boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, name)
      )`);
    await makeTenantTable(queryRunner, 'signposting_service', 'SELECT, INSERT, UPDATE');
    await queryRunner.query(
      `CREATE POLICY partner_read ON signposting_service FOR SELECT
         USING (tenant_id = ANY ((select app_owners_granting('SIGNPOSTING_SERVICE', 'READ'))::uuid[]))`,
    );

    await queryRunner.query(`
      CREATE TABLE support_request (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        requester_person_id uuid NOT NULL,
        referred_by_person_id uuid,
        anonymous boolean NOT NULL DEFAULT false,
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE','SOON','URGENT')),
        immediate_risk boolean NOT NULL DEFAULT false,
        preferred_area text CHECK (length(preferred_area) <= 100),
        summary text CHECK (length(summary) <= 4000),
        status text NOT NULL CHECK (status IN ('WAITING','ASSIGNED','CLOSED')),
        assigned_milo_id uuid,
        assigned_at timestamptz,
        closed_at timestamptz,
        closed_by uuid,
        closure_outcome_code text,
        free_text_removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id),
        FOREIGN KEY (tenant_id, requester_person_id) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, referred_by_person_id) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, assigned_milo_id) REFERENCES milo (tenant_id, id),
        FOREIGN KEY (tenant_id, closed_by) REFERENCES person (tenant_id, id),
        CHECK (status <> 'ASSIGNED' OR assigned_milo_id IS NOT NULL),
        CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX support_request_queue_idx ON support_request (tenant_id, scheme_id, status, created_at)`);
    await queryRunner.query(`CREATE INDEX support_request_milo_idx ON support_request (tenant_id, assigned_milo_id, status)`);
    await queryRunner.query(`CREATE INDEX support_request_requester_idx ON support_request (tenant_id, requester_person_id)`);
    await makeTenantTable(queryRunner, 'support_request', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE support_assignment (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_request_id uuid NOT NULL,
        milo_id uuid NOT NULL,
        assigned_by uuid NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        override_reason text CHECK (length(override_reason) BETWEEN 1 AND 1000),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, support_request_id) REFERENCES support_request (tenant_id, id),
        FOREIGN KEY (tenant_id, milo_id) REFERENCES milo (tenant_id, id),
        FOREIGN KEY (tenant_id, assigned_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX support_assignment_request_idx ON support_assignment (tenant_id, support_request_id, assigned_at)`);
    // Who assigned what to whom, and any override, is history: written once.
    await makeTenantTable(queryRunner, 'support_assignment', 'SELECT, INSERT');

    await queryRunner.query(`
      CREATE TABLE support_contact (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_request_id uuid NOT NULL,
        milo_id uuid NOT NULL,
        contact_on date NOT NULL,
        minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
        theme_codes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(theme_codes) <= 10),
        outcome_code text NOT NULL,
        note text CHECK (length(note) <= 4000),
        note_removed_at timestamptz,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, support_request_id) REFERENCES support_request (tenant_id, id),
        FOREIGN KEY (tenant_id, milo_id) REFERENCES milo (tenant_id, id),
        FOREIGN KEY (tenant_id, created_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX support_contact_request_idx ON support_contact (tenant_id, support_request_id, contact_on)`);
    await makeTenantTable(queryRunner, 'support_contact', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE support_signposting (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_contact_id uuid NOT NULL,
        service_organisation_id uuid NOT NULL REFERENCES organisation(id),
        service_id uuid NOT NULL,
        -- Kept with the contact: the figures still name the service after an agreement ends.
        service_name text NOT NULL CHECK (length(service_name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, support_contact_id, service_id),
        FOREIGN KEY (tenant_id, support_contact_id) REFERENCES support_contact (tenant_id, id)
      )`);
    await makeTenantTable(queryRunner, 'support_signposting', 'SELECT, INSERT');

    await queryRunner.query(`
      CREATE TABLE advice_request (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        requested_by uuid NOT NULL,
        incident_reference text NOT NULL CHECK (incident_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,49}$'),
        description text CHECK (length(description) <= 4000),
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE','SOON','URGENT')),
        area text CHECK (length(area) <= 100),
        theme_codes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(theme_codes) <= 10),
        status text NOT NULL CHECK (status IN ('WAITING','ANSWERED')),
        answer text CHECK (length(answer) <= 4000),
        answered_by_milo_id uuid,
        answered_at timestamptz,
        minutes integer CHECK (minutes BETWEEN 1 AND 1440),
        free_text_removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id),
        FOREIGN KEY (tenant_id, requested_by) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, answered_by_milo_id) REFERENCES milo (tenant_id, id),
        CHECK ((status = 'ANSWERED') = (answered_at IS NOT NULL AND answered_by_milo_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX advice_request_queue_idx ON advice_request (tenant_id, scheme_id, status, created_at)`);
    await queryRunner.query(`CREATE INDEX advice_request_requester_idx ON advice_request (tenant_id, requested_by)`);
    await makeTenantTable(queryRunner, 'advice_request', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE referral (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_request_id uuid NOT NULL,
        agreement_id uuid NOT NULL,
        target_organisation_id uuid NOT NULL REFERENCES organisation(id),
        service_id uuid NOT NULL,
        service_name text NOT NULL CHECK (length(service_name) BETWEEN 1 AND 200),
        referred_by uuid NOT NULL,
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE','SOON','URGENT')),
        consent_confirmed boolean NOT NULL CHECK (consent_confirmed),
        colleague_name text CHECK (length(colleague_name) <= 200),
        contact_details text CHECK (length(contact_details) <= 500),
        reason text CHECK (length(reason) <= 2000),
        status text NOT NULL CHECK (status IN ('SENT','ACCEPTED','DECLINED','COMPLETED')),
        status_note text CHECK (length(status_note) <= 1000),
        status_changed_at timestamptz,
        status_changed_by_organisation_id uuid REFERENCES organisation(id),
        free_text_removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, support_request_id) REFERENCES support_request (tenant_id, id),
        FOREIGN KEY (tenant_id, agreement_id, target_organisation_id)
          REFERENCES data_sharing_agreement (tenant_id, id, partner_organisation_id),
        FOREIGN KEY (tenant_id, referred_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX referral_request_idx ON referral (tenant_id, support_request_id)`);
    await queryRunner.query(`CREATE INDEX referral_target_idx ON referral (target_organisation_id, tenant_id, created_at)`);
    await makeTenantTable(queryRunner, 'referral', 'SELECT, INSERT, UPDATE');
    // The receiving unit reads the referrals sent to it, and moves their status, only while
    // the sender's agreement grants READ and CONTRIBUTE; the sender keeps its own view.
    await queryRunner.query(
      `CREATE POLICY partner_read ON referral FOR SELECT
         USING (target_organisation_id = ${current} AND tenant_id = ANY ((select app_owners_granting('REFERRAL', 'READ'))::uuid[]))`,
    );
    await queryRunner.query(
      `CREATE POLICY partner_contribute ON referral FOR UPDATE
         USING (target_organisation_id = ${current} AND tenant_id = ANY ((select app_owners_granting('REFERRAL', 'CONTRIBUTE'))::uuid[]))
         WITH CHECK (target_organisation_id = ${current} AND tenant_id = ANY ((select app_owners_granting('REFERRAL', 'CONTRIBUTE'))::uuid[]))`,
    );

    // Policies pick rows, not columns: this keeps the receiving unit to the status columns
    // of a referral, whatever a resolver might try to write.
    await queryRunner.query(`
      CREATE FUNCTION referral_partner_update_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.tenant_id IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
           AND (NEW.tenant_id, NEW.id, NEW.support_request_id, NEW.agreement_id, NEW.target_organisation_id, NEW.service_id,
                NEW.service_name, NEW.referred_by, NEW.urgency, NEW.consent_confirmed, NEW.colleague_name, NEW.contact_details,
                NEW.reason, NEW.free_text_removed_at, NEW.created_at)
               IS DISTINCT FROM
               (OLD.tenant_id, OLD.id, OLD.support_request_id, OLD.agreement_id, OLD.target_organisation_id, OLD.service_id,
                OLD.service_name, OLD.referred_by, OLD.urgency, OLD.consent_confirmed, OLD.colleague_name, OLD.contact_details,
                OLD.reason, OLD.free_text_removed_at, OLD.created_at)
        THEN
          RAISE EXCEPTION 'a receiving organisation may change only the status of a referral' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER referral_partner_update_guard BEFORE UPDATE ON referral FOR EACH ROW EXECUTE FUNCTION referral_partner_update_guard()`,
    );

    await queryRunner.query(`
      CREATE TABLE feedback_invitation (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_request_id uuid NOT NULL,
        token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, token_hash),
        UNIQUE (tenant_id, support_request_id),
        FOREIGN KEY (tenant_id, support_request_id) REFERENCES support_request (tenant_id, id),
        FOREIGN KEY (tenant_id, created_by) REFERENCES person (tenant_id, id)
      )`);
    await makeTenantTable(queryRunner, 'feedback_invitation', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE feedback (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        support_request_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('MILO','SUPPORTED_PERSON')),
        milo_id uuid,
        rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
        theme_codes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(theme_codes) <= 10),
        training_need_codes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(training_need_codes) <= 10),
        comment text CHECK (length(comment) <= 2000),
        comment_removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, support_request_id) REFERENCES support_request (tenant_id, id),
        FOREIGN KEY (tenant_id, milo_id) REFERENCES milo (tenant_id, id),
        CHECK ((source = 'MILO') = (milo_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX feedback_one_per_milo ON feedback (tenant_id, support_request_id, milo_id) WHERE source = 'MILO'`);
    await queryRunner.query(`CREATE UNIQUE INDEX feedback_one_per_person ON feedback (tenant_id, support_request_id) WHERE source = 'SUPPORTED_PERSON'`);
    await makeTenantTable(queryRunner, 'feedback', 'SELECT, INSERT, UPDATE');

    // A partner records its reads and writes of the owner's rows in the owner's log, under
    // its own name: it may append events whose actor is itself, and nothing else.
    await queryRunner.query(
      `CREATE POLICY actor_insert ON audit_event FOR INSERT WITH CHECK (actor_organisation_id = ${current})`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY actor_insert ON audit_event`);
    for (const table of [
      'feedback',
      'feedback_invitation',
      'referral',
      'advice_request',
      'support_signposting',
      'support_contact',
      'support_assignment',
      'support_request',
      'signposting_service',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION referral_partner_update_guard()`);
    await queryRunner.query(`DROP FUNCTION app_owners_granting(text, text)`);
    for (const table of ['access_rule', 'data_sharing_agreement', 'taxonomy_term']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`ALTER TABLE scheme DROP COLUMN support_target_hours, DROP COLUMN free_text_retention_days, DROP COLUMN crisis_guidance`);
  }
}
