import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRole, makeTenantTable } from './support';

/** The tenant registry, people, their organisation-level roles and schemes. */
export class Foundation1764140000000 implements MigrationInterface {
  name = 'Foundation1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${appRole()}`);

    await queryRunner.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 63),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('POLICE','FIRE_RESCUE','NHS_TRUST','OCCUPATIONAL_HEALTH','CHARITY','LOCAL_AUTHORITY')),
        region text CHECK (length(region) <= 200),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','SUSPENDED')),
        configuration_version integer NOT NULL DEFAULT 1,
        token_issuer text,
        token_jwks_url text,
        token_public_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (token_jwks_url IS NULL OR token_public_key IS NULL),
        CHECK ((token_jwks_url IS NULL AND token_public_key IS NULL) OR token_issuer IS NOT NULL)
      )`);
    // The registry is read by the authenticator before a tenant is known; it holds no
    // personal data. Provisioning is an operator task done as the owner.
    await queryRunner.query(`GRANT SELECT ON organisation TO ${appRole()}`);

    await queryRunner.query(`
      CREATE TABLE person (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        subject text CHECK (length(subject) BETWEEN 1 AND 255),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        work_email text NOT NULL CHECK (length(work_email) <= 320 AND work_email ~ '^[^@\\s]+@[^@\\s]+$'),
        employment_type text NOT NULL CHECK (employment_type IN ('POLICE_OFFICER','POLICE_STAFF','SPECIAL_CONSTABLE','POLICE_VOLUNTEER','FIREFIGHTER','FIRE_STAFF','CLINICIAN','HEALTH_STAFF','OCCUPATIONAL_HEALTH_ADVISER','VOLUNTEER','OTHER')),
        area text CHECK (length(area) <= 100),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX person_work_email_key ON person (tenant_id, lower(work_email))`);
    await queryRunner.query(`CREATE UNIQUE INDEX person_subject_key ON person (tenant_id, subject) WHERE subject IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX person_display_name_idx ON person (tenant_id, display_name, id)`);
    await makeTenantTable(queryRunner, 'person', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE role_assignment (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('SCHEME_ADMIN','STAFF','PARTNER','AUDITOR','PLATFORM_OPERATOR')),
        granted_by uuid,
        granted_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid,
        revoked_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, granted_by) REFERENCES person (tenant_id, id),
        FOREIGN KEY (tenant_id, revoked_by) REFERENCES person (tenant_id, id)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX role_assignment_active_key ON role_assignment (tenant_id, person_id, role) WHERE revoked_at IS NULL`,
    );
    await makeTenantTable(queryRunner, 'role_assignment', 'SELECT, INSERT, UPDATE');

    await queryRunner.query(`
      CREATE TABLE scheme (
        tenant_id uuid NOT NULL REFERENCES organisation(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        purpose text NOT NULL CHECK (length(purpose) <= 4000),
        role_boundaries text CHECK (length(role_boundaries) <= 10000),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','ACTIVE','CLOSED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    await makeTenantTable(queryRunner, 'scheme', 'SELECT, INSERT, UPDATE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scheme`);
    await queryRunner.query(`DROP TABLE role_assignment`);
    await queryRunner.query(`DROP TABLE person`);
    await queryRunner.query(`DROP TABLE organisation`);
  }
}
