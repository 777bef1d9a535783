import { seedLargeOrganisation } from '../seeds';
import { addDays, addMonths, ukDateOf } from '../src/platform/calendar';
import { asTenant, ownerClient, toGlobalId, usePlatform } from './support/platform';

/**
 * A scheme's MILOs with their effective status, eligibility, training records, Lead and
 * history load through per-request DataLoaders: listing 60 costs the same number of SQL
 * statements as listing 10.
 */
const slug = `milo-statements-${Date.now()}`;
const MILOS = 60;
const LEADS = 3;
const { platform } = usePlatform();
let schemeId: string;

beforeAll(async () => {
  const tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'MILO Statements Constabulary', people: MILOS + LEADS });
  const owner = await ownerClient();
  const today = ukDateOf(new Date());
  try {
    await asTenant(owner, tenantId, async () => {
      schemeId = (await owner.query(`select id from scheme where tenant_id = $1`, [tenantId])).rows[0].id;
      const module = async (code: string, title: string, validity: number | null) =>
        (
          await owner.query(`insert into training_module (tenant_id, code, title, hours, validity_months, active) values ($1, $2, $3, 3, $4, true) returning id`, [
            tenantId,
            code,
            title,
            validity,
          ])
        ).rows[0].id as string;
      const awareness = await module('MHA', 'Mental health awareness', 12);
      const dementia = await module('DEM', 'Dementia awareness', null);
      const dementiaAlt = await module('DEM-ALT', 'Dementia friends', null);
      for (const role of ['MILO', 'LEAD_MILO']) {
        await owner.query(`insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, module_ids) values ($1, $2, $3, 'MODULE', 'Mental health awareness', $4)`, [
          tenantId,
          schemeId,
          role,
          [awareness],
        ]);
        await owner.query(`insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, module_ids) values ($1, $2, $3, 'MODULE', 'Dementia awareness', $4)`, [
          tenantId,
          schemeId,
          role,
          [dementia, dementiaAlt],
        ]);
      }
      const people: string[] = (await owner.query(`select id from person where tenant_id = $1 order by display_name`, [tenantId])).rows.map((row) => row.id);
      const admin = people[0];
      const insertMilo = async (personId: string, role: string, status: string, since: string, area: string, leadId: string | null) => {
        const id = (
          await owner.query(
            `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, lead_milo_id) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
            [tenantId, schemeId, personId, role, status, since, area, leadId],
          )
        ).rows[0].id as string;
        await owner.query(
          `insert into milo_status_change (tenant_id, milo_id, from_status, to_status, effective_on, reason, changed_by, changed_at)
           values ($1, $2, null, 'APPLICANT', $3, 'Enrolled', $4, $3::date), ($1, $2, 'APPLICANT', $5, $3, 'Arranged', $4, $3::date + 1)`,
          [tenantId, id, addMonths(since, -2), admin, status],
        );
        return id;
      };
      // Leads sort after every MILO (area "ZZ"), so the pages below never include them.
      const leads: string[] = [];
      for (let n = 0; n < LEADS; n += 1) {
        const personId = people[MILOS + n];
        await owner.query(`insert into training_record (tenant_id, person_id, module_id, completed_on) values ($1, $2, $3, $4), ($1, $2, $5, $4)`, [
          tenantId,
          personId,
          awareness,
          addMonths(today, -3),
          dementia,
        ]);
        leads.push(await insertMilo(personId, 'LEAD_MILO', 'ACTIVE', addMonths(today, -3), `ZZ Leads ${n}`, null));
      }
      // A mix of MILOs: in date, expired (so LAPSED as of today), refreshed, suspended, in training.
      for (let n = 0; n < MILOS; n += 1) {
        const personId = people[n];
        const shape = n % 5;
        const completedOn = shape === 1 ? addMonths(today, -13) : addMonths(today, -2);
        await owner.query(`insert into training_record (tenant_id, person_id, module_id, completed_on) values ($1, $2, $3, $4), ($1, $2, $5, $4)`, [
          tenantId,
          personId,
          awareness,
          completedOn,
          n % 2 ? dementia : dementiaAlt,
        ]);
        if (shape === 2) {
          await owner.query(`insert into training_record (tenant_id, person_id, module_id, completed_on) values ($1, $2, $3, $4)`, [tenantId, personId, awareness, addDays(today, -1)]);
        }
        const status = shape === 3 ? 'SUSPENDED' : shape === 4 ? 'IN_TRAINING' : 'ACTIVE';
        await insertMilo(personId, 'MILO', status, completedOn, `Area ${n % 7}`, leads[n % LEADS]);
      }
    });
    await owner.query('analyze milo, milo_status_change, training_record, training_module, training_requirement');
  } finally {
    await owner.end();
  }
});
const LIST = `query($id: ID!, $first: Int!) {
  milos(schemeId: $id, first: $first) {
    edges { node {
      status
      eligibility { eligible nextLapseOn unmet { title reason } }
      person { displayName trainingRecords { completedOn module { title } } }
      lead { area person { displayName } }
      statusHistory { toStatus changedBy { displayName } }
    } }
  }
}`;

async function statementsFor(first: number): Promise<number> {
  const response = await platform.graphql({ organisation: slug, roles: ['SCHEME_ADMIN'], subject: 'person-1' }, LIST, { id: toGlobalId('Scheme', schemeId), first });
  expect(response.errors).toBeUndefined();
  const nodes = response.data!.milos.edges.map((edge: any) => edge.node);
  expect(nodes).toHaveLength(first);
  // Every shape is on both pages, so both pages exercise every loader.
  const statuses = new Set(nodes.map((node: any) => node.status));
  expect([...statuses].sort()).toEqual(['ACTIVE', 'IN_TRAINING', 'LAPSED', 'SUSPENDED']);
  expect(nodes.every((node: any) => node.lead.area.startsWith('ZZ Leads') && node.statusHistory.length === 2 && node.person.trainingRecords.length >= 2)).toBe(true);
  return response.statements as number;
}

it(`costs the same number of SQL statements for 10 MILOs as for ${MILOS}`, async () => {
  const ten = await statementsFor(10);
  const sixty = await statementsFor(MILOS);
  expect(ten).toBeGreaterThan(0);
  expect(sixty).toBe(ten);
});

it('computes coverage and the expiring list for the whole scheme in a handful of statements', async () => {
  const admin = { organisation: slug, roles: ['SCHEME_ADMIN' as const], subject: 'person-1' };
  const response = await platform.graphql(
    admin,
    `query($id: ID!) { node(id: $id) { ... on Scheme { coverage { activeMilos activeLeadMilos areas { area activeMilos } } } }
       milosWithTrainingExpiring(schemeId: $id, withinDays: 365) { daysLeft milo { person { displayName } } } }`,
    { id: toGlobalId('Scheme', schemeId) },
  );
  expect(response.errors).toBeUndefined();
  // 12 of every 60 are expired (LAPSED), 12 suspended and 12 in training: 24 MILOs and 3 Leads are active.
  expect(response.data!.node.coverage).toMatchObject({ activeMilos: 24 + LEADS, activeLeadMilos: LEADS });
  expect(response.data!.milosWithTrainingExpiring).toHaveLength(24 + LEADS);
  // Each is one query for the members plus the batched eligibility loads, not one per MILO.
  expect(response.statements).toBeLessThan(20);
});
