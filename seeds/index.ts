import { Client } from 'pg';
import { TrainingAuditAction } from '../src/modules/training/audit-actions';
import { ukDateOf, type IsoDate } from '../src/platform/calendar';
import { demoRosters } from './demo-milos';
import { demoOrganisations } from './demo-organisations';
import { demoSchemeConfigurations } from './demo-schemes';
import { schemeRows, type Row } from './scheme-rows';
import { stableId } from './stable-id';

export { demoOrganisations, demoSubjectFor } from './demo-organisations';
export { demoRosters } from './demo-milos';
export { demoSchemeConfigurations } from './demo-schemes';
export { stableId } from './stable-id';
export { seedLargeOrganisation } from './large-organisation';

/** The seeded id of an organisation, person, scheme and the rest, for tests and examples. */
export const demoIds = {
  organisation: (slug: string) => stableId('organisation', slug),
  person: (slug: string, subject: string) => stableId('person', slug, subject),
  scheme: (slug: string) => stableId('scheme', slug),
  termsOfReference: (slug: string, version: number) => stableId('terms-of-reference', slug, String(version)),
  trainingModule: (slug: string, code: string) => stableId('training-module', slug, code),
  milo: (slug: string, subject: string) => stableId('milo', slug, subject),
};

/** The tables the demo seed writes, in the order it writes them (foreign keys first). */
export const SEEDED_TABLES = [
  'organisation',
  'person',
  'role_assignment',
  'scheme',
  'scheme_role',
  'terms_of_reference',
  'training_module',
  'training_requirement',
  'milo',
  'training_record',
  'milo_status_change',
] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];

/** What one seeding wrote: rows inserted per table (all zero when everything was there). */
export interface SeedReport {
  today: IsoDate;
  inserted: Record<SeededTable, number>;
}

/** Column types per table, for jsonb_to_recordset; a row's keys must be exactly these. */
const COLUMNS: Record<SeededTable, Record<string, string>> = {
  organisation: { id: 'uuid', slug: 'text', name: 'text', kind: 'text', region: 'text' },
  person: { tenant_id: 'uuid', id: 'uuid', subject: 'text', display_name: 'text', work_email: 'text', employment_type: 'text', area: 'text' },
  role_assignment: { tenant_id: 'uuid', id: 'uuid', person_id: 'uuid', role: 'text', granted_at: 'timestamptz' },
  scheme: { tenant_id: 'uuid', id: 'uuid', name: 'text', purpose: 'text', role_boundaries: 'text', status: 'text' },
  scheme_role: { tenant_id: 'uuid', id: 'uuid', scheme_id: 'uuid', code: 'text', title: 'text', description: 'text' },
  terms_of_reference: {
    tenant_id: 'uuid', id: 'uuid', scheme_id: 'uuid', version: 'integer', effective_from: 'date', body: 'text', created_by: 'uuid', created_at: 'timestamptz',
  },
  training_module: {
    tenant_id: 'uuid', id: 'uuid', code: 'text', title: 'text', description: 'text', provider_organisation_id: 'uuid', provider_name: 'text',
    hours: 'numeric', validity_months: 'integer', active: 'boolean',
  },
  training_requirement: {
    tenant_id: 'uuid', id: 'uuid', scheme_id: 'uuid', role_code: 'text', kind: 'text', title: 'text', module_ids: 'uuid[]', refresh_months: 'integer',
    minimum_hours: 'numeric',
  },
  milo: {
    tenant_id: 'uuid', id: 'uuid', scheme_id: 'uuid', person_id: 'uuid', role_code: 'text', status: 'text', status_since: 'date', area: 'text',
    capacity: 'integer', lead_milo_id: 'uuid',
  },
  training_record: {
    tenant_id: 'uuid', id: 'uuid', person_id: 'uuid', module_id: 'uuid', completed_on: 'date', evidence_reference: 'text', verified_by: 'uuid',
    verified_at: 'timestamptz',
  },
  milo_status_change: {
    tenant_id: 'uuid', id: 'uuid', milo_id: 'uuid', from_status: 'text', to_status: 'text', effective_on: 'date', reason: 'text', changed_by: 'uuid',
    changed_at: 'timestamptz',
  },
};

/**
 * Inserts many rows in one statement (jsonb_to_recordset), skipping any that exist.
 * ON CONFLICT DO NOTHING without a target covers every unique key, not only the id.
 */
async function insertRows(client: Client, table: SeededTable, rows: Row[], report: SeedReport, where = ''): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(COLUMNS[table]);
  const names = columns.map(([name]) => name).join(', ');
  const result = await client.query(
    `insert into ${table} (${names})
     select ${names} from jsonb_to_recordset($1::jsonb) as r(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})
     ${where ? `where ${where}` : ''}
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
  report.inserted[table] += result.rowCount ?? 0;
}

/**
 * Seeds the demo organisations as the schema owner. Each tenant's rows are written with that
 * tenant's context set, so the seed passes the same row-level security as the server. Ids
 * are stable and every insert is ON CONFLICT DO NOTHING: seeding twice changes nothing, and
 * dates relative to the seeding day (training about to expire) are fixed by the first run.
 * A few statements per table, not one per row: this runs on every `npm start` and test run.
 */
export async function seedDemoData(ownerUrl: string, options: { today?: IsoDate } = {}): Promise<SeedReport> {
  const today = options.today ?? ukDateOf(new Date());
  const report: SeedReport = { today, inserted: Object.fromEntries(SEEDED_TABLES.map((table) => [table, 0])) as Record<SeededTable, number> };
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // The registry first: modules name partner organisations as their providers.
    await insertRows(
      client,
      'organisation',
      demoOrganisations.map((organisation) => ({
        id: demoIds.organisation(organisation.slug),
        slug: organisation.slug,
        name: organisation.name,
        kind: organisation.kind,
        region: organisation.region,
      })),
      report,
    );
    for (const organisation of demoOrganisations) {
      const slug = organisation.slug;
      const tenantId = demoIds.organisation(slug);
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      await insertRows(
        client,
        'person',
        organisation.people.map((person) => ({
          tenant_id: tenantId,
          id: demoIds.person(slug, person.subject),
          subject: person.subject,
          display_name: person.displayName,
          work_email: person.workEmail,
          employment_type: person.employmentType,
          area: person.area,
        })),
        report,
      );
      await insertRows(
        client,
        'role_assignment',
        organisation.people.flatMap((person) =>
          person.roles.map((role) => ({
            tenant_id: tenantId,
            id: stableId('role', slug, person.subject, role),
            person_id: demoIds.person(slug, person.subject),
            role,
            granted_at: '2026-01-05T09:00:00Z',
          })),
        ),
        report,
      );
      if (!organisation.scheme) continue;
      const schemeId = demoIds.scheme(slug);
      const { name, purpose, roleBoundaries } = organisation.scheme;
      await insertRows(client, 'scheme', [{ tenant_id: tenantId, id: schemeId, name, purpose, role_boundaries: roleBoundaries, status: 'ACTIVE' }], report);
      const configuration = demoSchemeConfigurations[slug];
      if (!configuration) continue;
      const rows = schemeRows(
        { slug, tenantId, schemeId, today, personId: (subject) => demoIds.person(slug, subject), organisationId: demoIds.organisation },
        configuration,
        demoRosters[slug] ?? { people: [], milos: [] },
      );
      await insertRows(client, 'scheme_role', rows.schemeRoles, report);
      await insertRows(client, 'terms_of_reference', rows.termsOfReference, report);
      await insertRows(client, 'training_module', rows.modules, report);
      // Requirements are replaced through the API (rows deleted, new ids), so a stable id alone
      // would bring the seeded set back on top of an admin's: write a role's set only while the
      // role has none and never had one set through the API.
      await insertRows(
        client,
        'training_requirement',
        rows.requirements,
        report,
        `not exists (select 1 from training_requirement t where t.tenant_id = r.tenant_id and t.scheme_id = r.scheme_id and t.role_code = r.role_code)
         and not exists (select 1 from audit_event a where a.tenant_id = r.tenant_id and a.entity_type = 'Scheme' and a.entity_id = r.scheme_id
                           and a.action = '${TrainingAuditAction.REQUIREMENTS_REPLACED}' and a.details->>'role' = r.role_code)`,
      );
      await insertRows(client, 'milo', rows.milos, report);
      await insertRows(client, 'training_record', rows.records, report);
      await insertRows(client, 'milo_status_change', rows.statusChanges, report);
    }
    await client.query('commit');
    return report;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
