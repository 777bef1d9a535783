import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Separation of duties (docs/security.md), with the database as the last line behind the services:
 * - the platform's own operator organisation (kind PLATFORM), the only place PLATFORM_OPERATOR
 *   may be held: assignments elsewhere are refused by a trigger, and existing ones revoked;
 * - role assignments with a status, so that granting AUDITOR can be a request (PENDING) that a
 *   second scheme admin approves: nobody records a role for themselves, the approver is
 *   neither the requester nor the grantee, and an AUDITOR requested through the platform is
 *   never ACTIVE without an approval;
 * - a person's identity-provider subject holds no control characters, and once set changes
 *   only through an operator's relink (which turns app.identity_relink on for that statement).
 */
export class SeparationOfDuties1764190000000 implements MigrationInterface {
  name = 'SeparationOfDuties1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check`);
    await queryRunner.query(
      `ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
         CHECK (kind IN ('POLICE','FIRE_RESCUE','NHS_TRUST','OCCUPATIONAL_HEALTH','CHARITY','LOCAL_AUTHORITY','PLATFORM'))`,
    );

    await queryRunner.query(`
      ALTER TABLE role_assignment
        ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE',
        ADD COLUMN requested_by uuid,
        ADD COLUMN requested_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN approved_by uuid,
        ADD COLUMN approved_at timestamptz,
        ADD COLUMN rejected_by uuid,
        ADD COLUMN rejected_at timestamptz,
        ALTER COLUMN granted_at DROP NOT NULL`);
    // Earlier assignments were granted at once; who asked is not known (requested_by stays null).
    await this.forEachOrganisation(
      queryRunner,
      `UPDATE role_assignment SET status = CASE WHEN revoked_at IS NULL THEN 'ACTIVE' ELSE 'REVOKED' END, requested_at = granted_at
        WHERE tenant_id = $1`,
    );
    await queryRunner.query(`
      ALTER TABLE role_assignment
        ADD CONSTRAINT role_assignment_status_check CHECK (status IN ('PENDING','ACTIVE','REJECTED','REVOKED')),
        ADD CONSTRAINT role_assignment_status_dates CHECK (CASE status
          WHEN 'PENDING' THEN granted_at IS NULL AND revoked_at IS NULL AND rejected_at IS NULL
          WHEN 'ACTIVE' THEN granted_at IS NOT NULL AND revoked_at IS NULL AND rejected_at IS NULL
          WHEN 'REVOKED' THEN granted_at IS NOT NULL AND revoked_at IS NOT NULL
          WHEN 'REJECTED' THEN granted_at IS NULL AND rejected_at IS NOT NULL
        END),
        ADD CONSTRAINT role_assignment_not_self_requested CHECK (requested_by IS NULL OR requested_by <> person_id),
        ADD CONSTRAINT role_assignment_four_eyes CHECK (
          approved_by IS NULL OR (approved_by <> person_id AND approved_by IS DISTINCT FROM requested_by)),
        ADD CONSTRAINT role_assignment_auditor_approved CHECK (
          role <> 'AUDITOR' OR requested_by IS NULL OR granted_at IS NULL OR approved_by IS NOT NULL),
        ADD FOREIGN KEY (tenant_id, requested_by) REFERENCES person (tenant_id, id),
        ADD FOREIGN KEY (tenant_id, approved_by) REFERENCES person (tenant_id, id),
        ADD FOREIGN KEY (tenant_id, rejected_by) REFERENCES person (tenant_id, id)`);
    // One live request or grant of a role per person; rejected and revoked ones are history.
    await queryRunner.query(`DROP INDEX role_assignment_active_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX role_assignment_live_key ON role_assignment (tenant_id, person_id, role) WHERE status IN ('PENDING','ACTIVE')`,
    );
    await queryRunner.query(`CREATE INDEX role_assignment_pending_idx ON role_assignment (tenant_id, requested_at) WHERE status = 'PENDING'`);

    // PLATFORM_OPERATOR outside the operator organisation was asserted by a tenant (its
    // identity provider or admins); it ends here and cannot be recorded again.
    await this.forEachOrganisation(
      queryRunner,
      `UPDATE role_assignment SET status = 'REVOKED', revoked_at = now()
        WHERE tenant_id = $1 AND role = 'PLATFORM_OPERATOR' AND status = 'ACTIVE'
          AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = $1 AND o.kind = 'PLATFORM')`,
    );
    await queryRunner.query(`
      CREATE FUNCTION role_assignment_operator_guard() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF NEW.role = 'PLATFORM_OPERATOR' AND NEW.status IN ('PENDING','ACTIVE')
           AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = NEW.tenant_id AND o.kind = 'PLATFORM') THEN
          RAISE EXCEPTION 'PLATFORM_OPERATOR is held only in the platform''s operator organisation' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER role_assignment_operator_guard BEFORE INSERT OR UPDATE ON role_assignment
         FOR EACH ROW EXECUTE FUNCTION role_assignment_operator_guard()`,
    );

    await queryRunner.query(`ALTER TABLE person ADD CONSTRAINT person_subject_plain CHECK (subject !~ '[\\x01-\\x1f\\x7f-\\x9f]')`);
    await queryRunner.query(`
      CREATE FUNCTION person_subject_guard() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF OLD.subject IS NOT NULL AND NEW.subject IS DISTINCT FROM OLD.subject
           AND coalesce(current_setting('app.identity_relink', true), '') <> 'on' THEN
          RAISE EXCEPTION 'A linked identity changes only through a platform operator''s relink' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER person_subject_guard BEFORE UPDATE OF subject ON person FOR EACH ROW EXECUTE FUNCTION person_subject_guard()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER person_subject_guard ON person`);
    await queryRunner.query(`DROP FUNCTION person_subject_guard()`);
    await queryRunner.query(`ALTER TABLE person DROP CONSTRAINT person_subject_plain`);
    await queryRunner.query(`DROP TRIGGER role_assignment_operator_guard ON role_assignment`);
    await queryRunner.query(`DROP FUNCTION role_assignment_operator_guard()`);
    await queryRunner.query(`DROP INDEX role_assignment_pending_idx`);
    await queryRunner.query(`DROP INDEX role_assignment_live_key`);
    // Requests that never became grants have no place in the earlier model.
    await this.forEachOrganisation(queryRunner, `DELETE FROM role_assignment WHERE tenant_id = $1 AND granted_at IS NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX role_assignment_active_key ON role_assignment (tenant_id, person_id, role) WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE role_assignment
        DROP CONSTRAINT role_assignment_status_check,
        DROP CONSTRAINT role_assignment_status_dates,
        DROP CONSTRAINT role_assignment_not_self_requested,
        DROP CONSTRAINT role_assignment_four_eyes,
        DROP CONSTRAINT role_assignment_auditor_approved,
        DROP COLUMN rejected_at,
        DROP COLUMN rejected_by,
        DROP COLUMN approved_at,
        DROP COLUMN approved_by,
        DROP COLUMN requested_at,
        DROP COLUMN requested_by,
        DROP COLUMN status,
        ALTER COLUMN granted_at SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check`);
    await queryRunner.query(
      `ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
         CHECK (kind IN ('POLICE','FIRE_RESCUE','NHS_TRUST','OCCUPATIONAL_HEALTH','CHARITY','LOCAL_AUTHORITY'))`,
    );
  }

  /**
   * Runs a statement (with the organisation's id as $1) once per organisation, with that
   * organisation's tenant context: the owner is bound by forced row-level security too.
   */
  private async forEachOrganisation(queryRunner: QueryRunner, statement: string): Promise<void> {
    const organisations: Array<{ id: string }> = await queryRunner.query(`SELECT id FROM organisation`);
    for (const { id } of organisations) {
      await queryRunner.query(`SELECT set_config('app.tenant_id', $1, true)`, [id]);
      await queryRunner.query(statement, [id]);
    }
    await queryRunner.query(`SELECT set_config('app.tenant_id', '', true)`);
  }
}
