import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * A police organisation with many people (each STAFF; `person-1` also SCHEME_ADMIN) and one
 * scheme, for statement-count tests and benchmarks. Written as the owner with the tenant
 * context set, like the demo seeds.
 */
export async function seedLargeOrganisation(ownerUrl: string, options: { slug: string; name: string; people: number }): Promise<string> {
  const tenantId = randomUUID();
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`insert into organisation (id, slug, name, kind) values ($1, $2, $3, 'POLICE')`, [tenantId, options.slug, options.name]);
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    await client.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, 'MILO scheme', 'Measuring', 'ACTIVE')`, [tenantId]);
    await client.query(
      `insert into person (tenant_id, subject, display_name, work_email, employment_type, area)
       select $1, 'person-' || n, 'Person ' || lpad(n::text, 5, '0'), 'person' || n || '@' || $3 || '.example.org', 'POLICE_OFFICER', 'Area ' || (n % 7)
         from generate_series(1, $2::int) n`,
      [tenantId, options.people, options.slug],
    );
    await client.query(`insert into role_assignment (tenant_id, person_id, role) select tenant_id, id, 'STAFF' from person where tenant_id = $1`, [tenantId]);
    await client.query(
      `insert into role_assignment (tenant_id, person_id, role) select tenant_id, id, 'SCHEME_ADMIN' from person where tenant_id = $1 and subject = 'person-1'`,
      [tenantId],
    );
    await client.query('commit');
    await client.query('analyze organisation, person, role_assignment, scheme');
    return tenantId;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
