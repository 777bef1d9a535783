import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeTenantTable } from './support';

/**
 * Scheme configuration (roles, terms of reference), the training catalogue and requirements,
 * training records, MILO memberships with their status history, and the audit log that
 * configuration changes are written to.
 */
export class SchemesTrainingMilos1764150000000 implements MigrationInterface {
  name = 'SchemesTrainingMilos1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scheme_role (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        code text NOT NULL CHECK (code IN ('MILO','LEAD_MILO')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 4000),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, scheme_id, code),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id)
      )`);
    await makeTenantTable(queryRunner, 'scheme_role', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE terms_of_reference (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        effective_from date NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, scheme_id, version),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id),
        FOREIGN KEY (tenant_id, created_by) REFERENCES person (tenant_id, id)
      )`);
    // Versions are kept as they were written: no UPDATE or DELETE for the server.
    await makeTenantTable(queryRunner, 'terms_of_reference', 'SELECT, INSERT');

    await queryRunner.query(`
      CREATE TABLE training_module (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 4000),
        provider_organisation_id uuid REFERENCES organisation(id),
        provider_name text CHECK (length(provider_name) <= 200),
        hours numeric(5,1) NOT NULL CHECK (hours >= 0 AND hours <= 1000),
        validity_months integer CHECK (validity_months BETWEEN 1 AND 240),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, code)
      )`);
    await makeTenantTable(queryRunner, 'training_module', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE training_requirement (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        role_code text NOT NULL CHECK (role_code IN ('MILO','LEAD_MILO')),
        kind text NOT NULL CHECK (kind IN ('MODULE','MINIMUM_HOURS')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        module_ids uuid[] NOT NULL DEFAULT '{}',
        refresh_months integer CHECK (refresh_months BETWEEN 1 AND 240),
        minimum_hours numeric(6,1) CHECK (minimum_hours > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id),
        CHECK ((kind = 'MODULE' AND cardinality(module_ids) BETWEEN 1 AND 20 AND minimum_hours IS NULL)
            OR (kind = 'MINIMUM_HOURS' AND cardinality(module_ids) = 0 AND minimum_hours IS NOT NULL AND refresh_months IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX training_requirement_scheme_idx ON training_requirement (tenant_id, scheme_id, role_code)`);
    // Requirements are replaced, not edited in place, so each change is one audited event.
    await makeTenantTable(queryRunner, 'training_requirement', 'SELECT, INSERT, DELETE');

    await queryRunner.query(`
      CREATE TABLE training_record (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        module_id uuid NOT NULL,
        completed_on date NOT NULL CHECK (completed_on >= date '1990-01-01'),
        evidence_reference text CHECK (length(evidence_reference) <= 500),
        verified_by uuid,
        verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, person_id, module_id, completed_on),
        FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, module_id) REFERENCES training_module (tenant_id, id),
        FOREIGN KEY (tenant_id, verified_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX training_record_person_idx ON training_record (tenant_id, person_id)`);
    await makeTenantTable(queryRunner, 'training_record', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE milo (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scheme_id uuid NOT NULL,
        person_id uuid NOT NULL,
        role_code text NOT NULL CHECK (role_code IN ('MILO','LEAD_MILO')),
        status text NOT NULL CHECK (status IN ('APPLICANT','IN_TRAINING','ACTIVE','SUSPENDED','LAPSED','WITHDRAWN')),
        status_since date NOT NULL,
        area text CHECK (length(area) <= 100),
        capacity integer NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 0 AND 100),
        lead_milo_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, scheme_id, person_id),
        FOREIGN KEY (tenant_id, scheme_id) REFERENCES scheme (tenant_id, id),
        FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, lead_milo_id) REFERENCES milo (tenant_id, id),
        CHECK (lead_milo_id IS NULL OR lead_milo_id <> id)
      )`);
    await queryRunner.query(`CREATE INDEX milo_lead_idx ON milo (tenant_id, lead_milo_id)`);
    await queryRunner.query(`CREATE INDEX milo_area_idx ON milo (tenant_id, scheme_id, area)`);
    await makeTenantTable(queryRunner, 'milo', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE milo_status_change (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        milo_id uuid NOT NULL,
        from_status text CHECK (from_status IN ('APPLICANT','IN_TRAINING','ACTIVE','SUSPENDED','LAPSED','WITHDRAWN')),
        to_status text NOT NULL CHECK (to_status IN ('APPLICANT','IN_TRAINING','ACTIVE','SUSPENDED','LAPSED','WITHDRAWN')),
        effective_on date NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        changed_by uuid,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, milo_id) REFERENCES milo (tenant_id, id),
        FOREIGN KEY (tenant_id, changed_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX milo_status_change_milo_idx ON milo_status_change (tenant_id, milo_id, changed_at)`);
    // History is written once; changed_by NULL means the platform itself (an automatic lapse).
    await makeTenantTable(queryRunner, 'milo_status_change', 'SELECT, INSERT');

    await queryRunner.query(`
      CREATE TABLE audit_event (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_organisation_id uuid NOT NULL REFERENCES organisation(id),
        actor_person_id uuid,
        actor_subject text NOT NULL,
        action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
        entity_type text NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 100),
        entity_id uuid,
        purpose text CHECK (length(purpose) <= 500),
        outcome text NOT NULL CHECK (outcome IN ('ALLOWED','DENIED')),
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX audit_event_entity_idx ON audit_event (tenant_id, entity_type, entity_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX audit_event_time_idx ON audit_event (tenant_id, occurred_at)`);
    // Insert-only for the server (docs/security.md, what is audited): no UPDATE or DELETE grant.
    await makeTenantTable(queryRunner, 'audit_event', 'SELECT, INSERT');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_event', 'milo_status_change', 'milo', 'training_record', 'training_requirement', 'training_module', 'terms_of_reference', 'scheme_role']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
