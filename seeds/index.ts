import { Client } from 'pg';
import { TrainingAuditAction } from '../src/modules/training/audit-actions';
import { addDays, ukDateOf, type IsoDate } from '../src/platform/calendar';
import { demoRosters } from './demo-milos';
import { demoOrganisations } from './demo-organisations';
import { demoSchemeConfigurations } from './demo-schemes';
import { careAgreements, demoCarePlans } from './demo-care-plans';
import { DEMO_AGREEMENTS_FROM, TAXONOMY_ORGANISATIONS, demoAgreements, demoCrisisGuidance, demoServices, demoTaxonomies } from './demo-support';
import { schemeRows, type Row } from './scheme-rows';
import { stableId } from './stable-id';

export { demoOrganisations, demoRolesOf, demoSubjectFor } from './demo-organisations';
export { demoRosters } from './demo-milos';
export { demoSchemeConfigurations } from './demo-schemes';
export { stableId } from './stable-id';
export { demoAgreements, demoServices, demoTaxonomies } from './demo-support';
export { careAgreements, demoCarePlans } from './demo-care-plans';
export { seedLargeOrganisation } from './large-organisation';

/** The seeded id of an organisation, person, scheme and the rest, for tests and examples. */
export const demoIds = {
  organisation: (slug: string) => stableId('organisation', slug),
  person: (slug: string, subject: string) => stableId('person', slug, subject),
  scheme: (slug: string) => stableId('scheme', slug),
  termsOfReference: (slug: string, version: number) => stableId('terms-of-reference', slug, String(version)),
  trainingModule: (slug: string, code: string) => stableId('training-module', slug, code),
  milo: (slug: string, subject: string) => stableId('milo', slug, subject),
  taxonomyTerm: (slug: string, taxonomy: string, code: string) => stableId('taxonomy-term', slug, taxonomy, code),
  signpostingService: (slug: string, key: string) => stableId('signposting-service', slug, key),
  agreement: (ownerSlug: string, partnerSlug: string) => stableId('data-sharing-agreement', ownerSlug, partnerSlug),
  carePlan: (ownerSlug: string, reference: string) => stableId('care-plan', ownerSlug, reference),
  carePlanInput: (ownerSlug: string, reference: string, key: string) => stableId('care-plan-input', ownerSlug, reference, key),
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
  'taxonomy_term',
  'signposting_service',
  'data_sharing_agreement',
  'access_rule',
  'care_plan',
  'care_plan_subject',
  'care_plan_internal_note',
  'care_team_member',
  'care_plan_input',
  'care_plan_version',
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
  role_assignment: { tenant_id: 'uuid', id: 'uuid', person_id: 'uuid', role: 'text', requested_at: 'timestamptz', granted_at: 'timestamptz' },
  scheme: {
    tenant_id: 'uuid', id: 'uuid', name: 'text', purpose: 'text', role_boundaries: 'text', status: 'text', support_target_hours: 'integer',
    free_text_retention_days: 'integer', crisis_guidance: 'text',
  },
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
  taxonomy_term: { tenant_id: 'uuid', id: 'uuid', taxonomy: 'text', code: 'text', label: 'text', position: 'integer' },
  signposting_service: {
    tenant_id: 'uuid', id: 'uuid', name: 'text', category: 'text', description: 'text', phone: 'text', email: 'text', website: 'text',
    availability: 'text', eligibility: 'text', crisis: 'boolean', accepts_referrals: 'boolean',
  },
  data_sharing_agreement: {
    tenant_id: 'uuid', id: 'uuid', partner_organisation_id: 'uuid', title: 'text', purpose: 'text', lawful_basis: 'text', valid_from: 'date', status: 'text',
  },
  access_rule: {
    tenant_id: 'uuid', id: 'uuid', agreement_id: 'uuid', partner_organisation_id: 'uuid', resource: 'text', actions: 'text[]', field_scope: 'text[]',
    conditions: 'jsonb',
  },
  care_plan: {
    tenant_id: 'uuid', id: 'uuid', reference: 'text', status: 'text', lead_milo_id: 'uuid', review_due_on: 'date', lawful_basis: 'text',
    consent_status: 'text', consent_scope: 'text', consent_recorded_on: 'date', presentation_and_triggers: 'text', what_helps: 'text',
    what_to_avoid: 'text', agreed_response: 'text', contacts: 'text',
  },
  care_plan_subject: { tenant_id: 'uuid', id: 'uuid', care_plan_id: 'uuid', display_name: 'text', date_of_birth: 'date', nhs_number: 'text' },
  care_plan_internal_note: { tenant_id: 'uuid', id: 'uuid', care_plan_id: 'uuid', body: 'text', author_person_id: 'uuid' },
  care_team_member: {
    tenant_id: 'uuid', id: 'uuid', care_plan_id: 'uuid', member_organisation_id: 'uuid', member_person_id: 'uuid', display_name: 'text', role: 'text',
  },
  care_plan_input: {
    tenant_id: 'uuid', id: 'uuid', care_plan_id: 'uuid', author_organisation_id: 'uuid', author_person_id: 'uuid', author_name: 'text', kind: 'text',
    carer_relationship: 'text', body: 'text', visibility: 'text',
  },
  care_plan_version: { tenant_id: 'uuid', id: 'uuid', care_plan_id: 'uuid', version: 'integer', snapshot: 'jsonb', change_summary: 'text', changed_by: 'uuid' },
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
            requested_at: '2026-01-05T09:00:00Z',
            granted_at: '2026-01-05T09:00:00Z',
          })),
        ),
        report,
      );
      await seedSupportConfiguration(client, slug, tenantId, report);
      if (!organisation.scheme) continue;
      const schemeId = demoIds.scheme(slug);
      const { name, purpose, roleBoundaries } = organisation.scheme;
      await insertRows(
        client,
        'scheme',
        [
          {
            tenant_id: tenantId, id: schemeId, name, purpose, role_boundaries: roleBoundaries, status: 'ACTIVE', support_target_hours: 72,
            free_text_retention_days: 365, crisis_guidance: demoCrisisGuidance[slug] ?? null,
          },
        ],
        report,
      );
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
      // Plans name their Lead MILOs: after the memberships.
      await seedCarePlans(client, slug, tenantId, today, report);
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

/** Taxonomies, the signposting directory and the agreements an organisation owns. */
async function seedSupportConfiguration(client: Client, slug: string, tenantId: string, report: SeedReport): Promise<void> {
  if (TAXONOMY_ORGANISATIONS.includes(slug)) {
    await insertRows(
      client,
      'taxonomy_term',
      Object.entries(demoTaxonomies).flatMap(([taxonomy, terms]) =>
        terms.map((term, index) => ({
          tenant_id: tenantId, id: demoIds.taxonomyTerm(slug, taxonomy, term.code), taxonomy, code: term.code, label: term.label, position: (index + 1) * 10,
        })),
      ),
      report,
    );
  }
  await insertRows(
    client,
    'signposting_service',
    (demoServices[slug] ?? []).map((service) => ({
      tenant_id: tenantId,
      id: demoIds.signpostingService(slug, service.key),
      name: service.name,
      category: service.category,
      description: service.description,
      phone: service.phone ?? null,
      email: service.email ?? null,
      website: service.website ?? null,
      availability: service.availability ?? null,
      eligibility: service.eligibility ?? null,
      crisis: service.crisis ?? false,
      accepts_referrals: service.acceptsReferrals ?? false,
    })),
    report,
  );
  const owned = [...demoAgreements, ...careAgreements].filter((agreement) => agreement.owner === slug);
  await insertRows(
    client,
    'data_sharing_agreement',
    owned.map((agreement) => ({
      tenant_id: tenantId,
      id: demoIds.agreement(agreement.owner, agreement.partner),
      partner_organisation_id: demoIds.organisation(agreement.partner),
      title: agreement.title,
      purpose: agreement.purpose,
      lawful_basis: agreement.lawfulBasis,
      valid_from: DEMO_AGREEMENTS_FROM,
      status: 'ACTIVE',
    })),
    report,
  );
  await insertRows(
    client,
    'access_rule',
    owned.flatMap((agreement) =>
      agreement.rules.map((rule) => ({
        tenant_id: tenantId,
        id: stableId('access-rule', agreement.owner, agreement.partner, rule.resource),
        agreement_id: demoIds.agreement(agreement.owner, agreement.partner),
        partner_organisation_id: demoIds.organisation(agreement.partner),
        resource: rule.resource,
        actions: rule.actions,
        field_scope: rule.fieldScope,
        conditions: rule.conditions ?? {},
      })),
    ),
    report,
  );
}

/** The demo care plans an organisation owns, with subjects, teams, inputs and first versions. */
async function seedCarePlans(client: Client, slug: string, tenantId: string, today: IsoDate, report: SeedReport): Promise<void> {
  const plans = demoCarePlans.filter((plan) => plan.owner === slug);
  if (!plans.length) return;
  const planId = (reference: string) => demoIds.carePlan(slug, reference);
  const planRows = plans.map((plan) => ({
    tenant_id: tenantId,
    id: planId(plan.reference),
    reference: plan.reference,
    status: plan.status,
    lead_milo_id: plan.leadMilo ? demoIds.milo(slug, plan.leadMilo) : null,
    review_due_on: plan.reviewInDays === null ? null : addDays(today, plan.reviewInDays),
    lawful_basis: plan.lawfulBasis,
    consent_status: plan.consent?.status ?? 'NOT_RECORDED',
    consent_scope: plan.consent?.scope ?? null,
    consent_recorded_on: plan.consent?.recordedOn ?? null,
    presentation_and_triggers: plan.sections.presentationAndTriggers ?? null,
    what_helps: plan.sections.whatHelps ?? null,
    what_to_avoid: plan.sections.whatToAvoid ?? null,
    agreed_response: plan.sections.agreedResponse ?? null,
    contacts: plan.sections.contacts ?? null,
  }));
  await insertRows(client, 'care_plan', planRows, report);
  await insertRows(
    client,
    'care_plan_subject',
    plans.map((plan) => ({
      tenant_id: tenantId, id: stableId('care-plan-subject', slug, plan.reference), care_plan_id: planId(plan.reference),
      display_name: plan.subject.displayName, date_of_birth: plan.subject.dateOfBirth, nhs_number: plan.subject.nhsNumber ?? null,
    })),
    report,
  );
  await insertRows(
    client,
    'care_plan_internal_note',
    plans.flatMap((plan) =>
      plan.internalNote && plan.leadMilo
        ? [{ tenant_id: tenantId, id: stableId('care-plan-note', slug, plan.reference), care_plan_id: planId(plan.reference), body: plan.internalNote,
             author_person_id: demoIds.person(slug, plan.leadMilo) }]
        : [],
    ),
    report,
  );
  await insertRows(
    client,
    'care_team_member',
    plans.flatMap((plan) =>
      plan.team.map((member) => ({
        tenant_id: tenantId, id: stableId('care-team-member', slug, plan.reference, member.organisation, member.subject), care_plan_id: planId(plan.reference),
        member_organisation_id: demoIds.organisation(member.organisation), member_person_id: demoIds.person(member.organisation, member.subject),
        display_name: member.displayName, role: member.role,
      })),
    ),
    report,
  );
  await insertRows(
    client,
    'care_plan_input',
    plans.flatMap((plan) =>
      plan.inputs.map((input) => ({
        tenant_id: tenantId, id: demoIds.carePlanInput(slug, plan.reference, input.key), care_plan_id: planId(plan.reference),
        author_organisation_id: demoIds.organisation(input.organisation), author_person_id: input.subject ? demoIds.person(input.organisation, input.subject) : null,
        author_name: input.authorName, kind: input.kind, carer_relationship: input.carerRelationship ?? null, body: input.body, visibility: input.visibility,
      })),
    ),
    report,
  );
  await insertRows(
    client,
    'care_plan_version',
    plans.map((plan, index) => ({
      tenant_id: tenantId, id: stableId('care-plan-version', slug, plan.reference, '1'), care_plan_id: planId(plan.reference), version: 1,
      snapshot: planRows[index], change_summary: 'Created', changed_by: plan.leadMilo ? demoIds.person(slug, plan.leadMilo) : null,
    })),
    report,
  );
}
