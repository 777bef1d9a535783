import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A scheme keeps free text for at least 30 days (the service refuses less, with a problem on
 * the field): the database holds the same floor. NOT VALID because row-level security hides
 * every scheme from the migrating role, so existing rows cannot be checked here; every row
 * written from now on is.
 */
export class SchemeRetentionMinimum1764200000000 implements MigrationInterface {
  name = 'SchemeRetentionMinimum1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE scheme ADD CONSTRAINT scheme_free_text_retention_minimum CHECK (free_text_retention_days >= 30) NOT VALID`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scheme DROP CONSTRAINT scheme_free_text_retention_minimum`);
  }
}
