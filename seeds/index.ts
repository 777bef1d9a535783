import { Client } from 'pg';
import { demoOrganisations } from './demo-organisations';
import { stableId } from './stable-id';

export { demoOrganisations, demoSubjectFor } from './demo-organisations';
export { stableId } from './stable-id';
export { seedLargeOrganisation } from './large-organisation';

/** The seeded id of an organisation, person or scheme, for tests and examples. */
export const demoIds = {
  organisation: (slug: string) => stableId('organisation', slug),
  person: (slug: string, subject: string) => stableId('person', slug, subject),
  scheme: (slug: string) => stableId('scheme', slug),
};

/**
 * Seeds the demo organisations as the schema owner. Each tenant's rows are written with that
 * tenant's context set, so the seed passes the same row-level security as the server.
 * Every insert is ON CONFLICT DO NOTHING on a stable id: seeding twice changes nothing.
 */
export async function seedDemoData(ownerUrl: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    for (const organisation of demoOrganisations) {
      const tenantId = demoIds.organisation(organisation.slug);
      await client.query(
        `insert into organisation (id, slug, name, kind, region) values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [tenantId, organisation.slug, organisation.name, organisation.kind, organisation.region],
      );
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      for (const person of organisation.people) {
        const personId = demoIds.person(organisation.slug, person.subject);
        await client.query(
          `insert into person (tenant_id, id, subject, display_name, work_email, employment_type, area)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
          [tenantId, personId, person.subject, person.displayName, person.workEmail, person.employmentType, person.area],
        );
        for (const role of person.roles) {
          await client.query(
            `insert into role_assignment (tenant_id, id, person_id, role, granted_at)
             values ($1, $2, $3, $4, '2026-01-05T09:00:00Z') on conflict do nothing`,
            [tenantId, stableId('role', organisation.slug, person.subject, role), personId, role],
          );
        }
      }
      if (organisation.scheme) {
        await client.query(
          `insert into scheme (tenant_id, id, name, purpose, role_boundaries, status)
           values ($1, $2, $3, $4, $5, 'ACTIVE') on conflict do nothing`,
          [tenantId, demoIds.scheme(organisation.slug), organisation.scheme.name, organisation.scheme.purpose, organisation.scheme.roleBoundaries],
        );
      }
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
