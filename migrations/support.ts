import type { QueryRunner } from 'typeorm';
import { config } from '../src/platform/config';

/*
 * SQL building blocks shared by migrations. A migration that has shipped must keep producing
 * the same SQL, so change a helper only by adding a new one.
 */

/** The application role's name (DB_APP_ROLE), quoted for DDL. */
export function appRole(): string {
  return `"${config().appRole}"`;
}

/** The schema owner's role name (DB_OWNER_ROLE), quoted for DDL. */
export function ownerRole(): string {
  return `"${config().ownerRole}"`;
}

/**
 * Makes a table tenant-owned (docs/architecture.md, "SQL conventions"): RLS enabled and forced (so even the owner is
 * bound by it), and one policy comparing tenant_id with the caller's context. The sub-select
 * makes PostgreSQL evaluate the setting once per statement; nullif turns the empty string a
 * reverted local setting leaves behind into NULL, which matches no row instead of failing.
 */
export async function makeTenantTable(queryRunner: QueryRunner, table: string, grants: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON ${table}
       USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
       WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))`,
  );
  await queryRunner.query(`GRANT ${grants} ON ${table} TO ${appRole()}`);
}

/** What every policy compares with (docs/architecture.md, "SQL conventions"); evaluated once per statement. */
export const CURRENT_TENANT = '(select app_current_tenant())';

/**
 * makeTenantTable for migrations after app_current_tenant() exists (SqlConventions1764210000000): the same
 * RLS, policy and grants, the policy reading the tenant through the function.
 */
export async function makeTenantOwnedTable(queryRunner: QueryRunner, table: string, grants: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`,
  );
  await queryRunner.query(`GRANT ${grants} ON ${table} TO ${appRole()}`);
}
