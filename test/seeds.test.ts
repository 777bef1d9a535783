import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrations } from '../migrations';
import { SEEDED_TABLES, demoRosters, demoSchemeConfigurations, demoSubjectFor, seedDemoData } from '../seeds';
import { schemeRows } from '../seeds/scheme-rows';
import { entities } from '../src/modules';
import { withDatabase } from '../src/platform/database/connection-urls';
import { dropDatabase, ensureDatabase, migrateDatabase } from '../src/platform/database/prepare';
import { addDays, ukDateOf } from '../src/platform/calendar';
import { eligibilityFor, type ModuleFacts, type RequirementFacts } from '../src/modules/training/eligibility';
import { FIRE, POLICE, asTenant, demoIds, ownerClient } from './support/platform';

/*
 * The demo seed: idempotent, and the schemes it writes tell the story the demo needs. Other
 * test files share this database and change rows as they run, so these checks look at the
 * seeded rows by their stable ids, and the exact "nothing changes" check runs on a database
 * of its own.
 */

const today = ukDateOf(new Date());

async function countEveryTable(client: Client): Promise<Record<string, number>> {
  const tables = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'migrations' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables.rows) {
    // The owner is bound by forced row-level security: count each tenant's rows under its context.
    const tenants = await client.query<{ id: string }>(`select id from organisation`);
    let total = 0;
    for (const tenant of tenants.rows) {
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenant.id]);
      total += (await client.query(`select count(*)::int as n from ${table}`)).rows[0].n;
      await client.query('commit');
    }
    counts[table] = table === 'organisation' ? tenants.rows.length : total;
  }
  return counts;
}

describe('seeding again', () => {
  it('inserts nothing into the shared test database, today or on a later day', async () => {
    const url = process.env.TEST_OWNER_URL as string;
    const again = await seedDemoData(url);
    expect(again.inserted).toEqual(Object.fromEntries(SEEDED_TABLES.map((table) => [table, 0])));
    const later = await seedDemoData(url, { today: addDays(today, 40) });
    expect(Object.values(later.inserted).every((count) => count === 0)).toBe(true);
  });

  describe('on a database of its own', () => {
    const adminUrl = withDatabase(process.env.TEST_ADMIN_URL as string, `milo_seed_${Date.now()}_${randomBytes(3).toString('hex')}`);
    let ownerUrl: string;

    beforeAll(async () => {
      await ensureDatabase(adminUrl);
      ownerUrl = (await migrateDatabase(adminUrl, entities, migrations)).owner;
    });
    afterAll(() => dropDatabase(adminUrl));

    it('leaves the row count of every table unchanged', async () => {
      const first = await seedDemoData(ownerUrl);
      expect(first.inserted.milo).toBeGreaterThan(60);
      expect(first.inserted.training_record).toBeGreaterThan(200);

      const client = new Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        const before = await countEveryTable(client);
        expect(before.milo).toBe(first.inserted.milo);
        await seedDemoData(ownerUrl);
        await seedDemoData(ownerUrl, { today: addDays(today, 40) });
        await seedDemoData(ownerUrl, { today: addDays(today, 400) });
        expect(await countEveryTable(client)).toEqual(before);
      } finally {
        await client.end();
      }
    });

    it("does not bring back requirements an admin replaced or removed", async () => {
      const client = new Client({ connectionString: ownerUrl });
      await client.connect();
      const tenantId = demoIds.organisation(FIRE);
      const schemeId = demoIds.scheme(FIRE);
      const requirements = () =>
        asTenant(client, tenantId, async () =>
          (await client.query(`select role_code, title from training_requirement where scheme_id = $1 order by role_code, title`, [schemeId])).rows,
        );
      try {
        await seedDemoData(ownerUrl);
        // What setTrainingRequirements does: replace the MILO set, empty the Lead set, audit both.
        await asTenant(client, tenantId, async () => {
          await client.query(`delete from training_requirement where scheme_id = $1`, [schemeId]);
          await client.query(
            `insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, minimum_hours) values ($1, $2, 'MILO', 'MINIMUM_HOURS', 'Eight hours', 8)`,
            [tenantId, schemeId],
          );
          for (const role of ['MILO', 'LEAD_MILO']) {
            await client.query(
              `insert into audit_event (tenant_id, actor_organisation_id, actor_subject, action, entity_type, entity_id, outcome, details)
               values ($1, $1, 'hfrs-admin-1', 'TRAINING_REQUIREMENTS_REPLACED', 'Scheme', $2, 'ALLOWED', $3)`,
              [tenantId, schemeId, JSON.stringify({ role })],
            );
          }
        });
        const replaced = await requirements();
        expect(replaced).toEqual([{ role_code: 'MILO', title: 'Eight hours' }]);
        const again = await seedDemoData(ownerUrl);
        expect(again.inserted.training_requirement).toBe(0);
        expect(await requirements()).toEqual(replaced);
      } finally {
        await client.end();
      }
    });
  });
});

/** The seeded rows of a scheme, read back by their stable ids. */
async function seededScheme(slug: string) {
  const tenantId = demoIds.organisation(slug);
  const schemeId = demoIds.scheme(slug);
  const expected = schemeRows(
    { slug, tenantId, schemeId, today, personId: (subject) => demoIds.person(slug, subject), organisationId: demoIds.organisation },
    demoSchemeConfigurations[slug],
    demoRosters[slug],
  );
  const owner = await ownerClient();
  try {
    return await asTenant(owner, tenantId, async () => {
      const ids = (rows: Array<Record<string, unknown>>) => rows.map((row) => row.id as string);
      const milos = await owner.query(`select id, person_id, role_code, status, area, lead_milo_id from milo where id = any($1)`, [ids(expected.milos)]);
      const records = await owner.query(`select person_id, module_id, completed_on::text as completed_on from training_record where id = any($1)`, [ids(expected.records)]);
      const modules = await owner.query(`select id, code, title, hours::float as hours, validity_months from training_module where id = any($1)`, [ids(expected.modules)]);
      const requirements = await owner.query(
        `select id, role_code, kind, title, module_ids, refresh_months, minimum_hours::float as minimum_hours from training_requirement where id = any($1)`,
        [ids(expected.requirements)],
      );
      const history = await owner.query(`select milo_id, count(*)::int as n from milo_status_change where id = any($1) group by milo_id`, [ids(expected.statusChanges)]);
      const terms = await owner.query(`select version, effective_from::text as effective_from, length(body) as length from terms_of_reference where scheme_id = $1 and id = any($2) order by version`, [
        schemeId,
        ids(expected.termsOfReference),
      ]);
      const roles = await owner.query(`select code, title from scheme_role where scheme_id = $1 order by code`, [schemeId]);
      return { expected, milos: milos.rows, records: records.rows, modules: modules.rows, requirements: requirements.rows, history: history.rows, terms: terms.rows, roles: roles.rows };
    });
  } finally {
    await owner.end();
  }
}

function eligibilityToday(seeded: Awaited<ReturnType<typeof seededScheme>>, personId: string, role: string) {
  const modules: ModuleFacts[] = seeded.modules.map((row) => ({ id: row.id, code: row.code, title: row.title, hours: row.hours, validityMonths: row.validity_months }));
  const requirements: RequirementFacts[] = seeded.requirements
    .filter((row) => row.role_code === role)
    .map((row) => ({ id: row.id, title: row.title, kind: row.kind, moduleIds: row.module_ids, refreshMonths: row.refresh_months, minimumHours: row.minimum_hours }));
  const records = seeded.records.filter((row) => row.person_id === personId).map((row) => ({ moduleId: row.module_id, completedOn: row.completed_on }));
  return eligibilityFor({ requirements, modules, records, asOf: today });
}

describe('Hampshire Constabulary', () => {
  let seeded: Awaited<ReturnType<typeof seededScheme>>;
  beforeAll(async () => {
    seeded = await seededScheme(POLICE);
  });

  it('has about 60 MILOs across at least 8 areas, with 6 Lead MILOs and their teams', () => {
    expect(seeded.milos).toHaveLength(seeded.expected.milos.length);
    expect(seeded.milos.length).toBeGreaterThanOrEqual(55);
    expect(seeded.milos.length).toBeLessThanOrEqual(65);
    expect(new Set(seeded.milos.map((milo) => milo.area)).size).toBeGreaterThanOrEqual(8);
    const leads = seeded.milos.filter((milo) => milo.role_code === 'LEAD_MILO');
    expect(leads.length).toBeGreaterThanOrEqual(6);
    for (const lead of leads) expect(seeded.milos.filter((milo) => milo.lead_milo_id === lead.id).length).toBeGreaterThanOrEqual(5);
    expect(seeded.milos.filter((milo) => milo.status === 'ACTIVE').length).toBeGreaterThanOrEqual(40);
    expect(seeded.history.length).toBe(seeded.milos.length);
  });

  it('has its roles, two versions of the terms of reference and the five modules', () => {
    expect(seeded.roles.map((role) => role.code)).toEqual(['LEAD_MILO', 'MILO']);
    expect(seeded.terms).toEqual([
      { version: 1, effective_from: '2016-06-01', length: expect.any(Number) },
      { version: 2, effective_from: '2025-04-01', length: expect.any(Number) },
    ]);
    expect(seeded.modules.map((row) => row.code).sort()).toEqual(['AUTISM', 'CAMH', 'DEMENTIA', 'MIND-BLUE-LIGHT', 'POLICE-POWERS']);
    const hours = seeded.requirements.filter((row) => row.kind === 'MINIMUM_HOURS').map((row) => [row.role_code, row.minimum_hours]);
    expect(hours.sort()).toEqual([['LEAD_MILO', 18], ['MILO', 12]]);
  });

  it("makes hc-staff-2 an active Lead MILO and keeps the seeded people's roles", async () => {
    const lead = seeded.milos.find((milo) => milo.person_id === demoIds.person(POLICE, 'hc-staff-2'));
    expect(lead).toMatchObject({ role_code: 'LEAD_MILO', status: 'ACTIVE' });
    expect(eligibilityToday(seeded, lead.person_id, 'LEAD_MILO').eligible).toBe(true);
    expect(demoSubjectFor(POLICE, 'STAFF')).toBe('hc-staff-1');
    expect(demoSubjectFor(POLICE, 'SCHEME_ADMIN')).toBe('hc-admin-1');
    expect(demoSubjectFor(FIRE, 'STAFF')).toBe('hfrs-staff-1');
  });

  it('tells the story the roster describes: eligible, expiring within 30 days, lapsed, in training', () => {
    const byPerson = new Map(seeded.milos.map((milo) => [milo.person_id, milo]));
    const kinds: Record<string, number> = {};
    for (const milo of demoRosters[POLICE].milos) {
      const personId = demoIds.person(POLICE, milo.subject);
      expect(byPerson.has(personId)).toBe(true);
      const result = eligibilityToday(seeded, personId, milo.role);
      const story = milo.story.kind;
      kinds[story] = (kinds[story] ?? 0) + 1;
      const label = { subject: milo.subject, story };
      if (story === 'ACTIVE' || story === 'SUSPENDED') {
        expect({ ...label, eligible: result.eligible }).toEqual({ ...label, eligible: true });
        expect({ ...label, expiringSoon: result.nextLapseOn !== null && result.nextLapseOn <= addDays(today, 30) }).toEqual({ ...label, expiringSoon: false });
      } else if (story === 'EXPIRING') {
        expect({ ...label, eligible: result.eligible }).toEqual({ ...label, eligible: true });
        expect(result.nextLapseOn! > today && result.nextLapseOn! <= addDays(today, 30)).toBe(true);
      } else if (story === 'EXPIRED') {
        expect(result.eligible).toBe(false);
        expect(result.unmet).toEqual([expect.objectContaining({ title: 'Mind Blue Light programme', reason: 'EXPIRED' })]);
        expect(result.unmet[0].expiredOn! < today).toBe(true);
      } else if (story === 'IN_TRAINING' || story === 'APPLICANT') {
        expect({ ...label, eligible: result.eligible }).toEqual({ ...label, eligible: false });
      }
    }
    expect(kinds.EXPIRING).toBeGreaterThanOrEqual(3);
    expect(kinds.EXPIRED).toBe(1);
    expect((kinds.IN_TRAINING ?? 0) + (kinds.APPLICANT ?? 0)).toBeGreaterThanOrEqual(5);
  });
});

describe('Hampshire Fire and Rescue', () => {
  let fire: Awaited<ReturnType<typeof seededScheme>>;
  let police: Awaited<ReturnType<typeof seededScheme>>;
  beforeAll(async () => {
    [fire, police] = await Promise.all([seededScheme(FIRE), seededScheme(POLICE)]);
  });

  it('has a smaller scheme of its own: about 10 MILOs across stations and 2 Leads', () => {
    const leads = fire.milos.filter((milo) => milo.role_code === 'LEAD_MILO');
    const members = fire.milos.filter((milo) => milo.role_code === 'MILO');
    expect(leads).toHaveLength(2);
    expect(members.length).toBeGreaterThanOrEqual(8);
    expect(members.length).toBeLessThanOrEqual(12);
    expect(new Set(members.map((milo) => milo.area)).size).toBeGreaterThanOrEqual(8);
    expect(fire.terms.map((terms) => terms.version)).toEqual([1]);
  });

  it('has different requirements from the police, including a "one of" alternative', () => {
    const titles = (seeded: typeof fire, role: string) => seeded.requirements.filter((row) => row.role_code === role).map((row) => row.title).sort();
    expect(titles(fire, 'MILO')).not.toEqual(titles(police, 'MILO'));
    const minimum = (seeded: typeof fire) => seeded.requirements.find((row) => row.role_code === 'MILO' && row.kind === 'MINIMUM_HOURS')?.minimum_hours;
    expect(minimum(fire)).not.toBe(minimum(police));
    expect(fire.requirements.some((row) => row.module_ids.length > 1)).toBe(true);
    expect(fire.modules.map((row) => row.code)).toEqual(expect.arrayContaining(['TRIM-AWARENESS', 'CRITICAL-INCIDENT']));
  });

  it('has its active Fire MILOs eligible under its own requirements, one expiring soon', () => {
    const expiring = demoRosters[FIRE].milos.filter((milo) => milo.story.kind === 'EXPIRING');
    expect(expiring.length).toBeGreaterThanOrEqual(1);
    for (const milo of demoRosters[FIRE].milos) {
      const result = eligibilityToday(fire, demoIds.person(FIRE, milo.subject), milo.role);
      const label = { subject: milo.subject, story: milo.story.kind };
      const active = milo.story.kind === 'ACTIVE' || milo.story.kind === 'EXPIRING';
      expect({ ...label, eligible: result.eligible }).toEqual({ ...label, eligible: active });
      if (milo.story.kind === 'EXPIRING') expect(result.nextLapseOn! <= addDays(today, 30)).toBe(true);
    }
  });
});
