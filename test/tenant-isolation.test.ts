import { Client } from 'pg';
import { FIRE, POLICE, demoIds, ownerClient } from './support/platform';

/**
 * Isolation proven in PostgreSQL itself, as the application role, for every table that has
 * a tenant_id column: new tables are covered the moment a migration creates them.
 */
const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);

let app: Client;
let owner: Client;
let tenantTables: string[];

async function inTransaction<T>(client: Client, tenantId: string | null, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    if (tenantId) await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    return await work();
  } finally {
    await client.query('rollback');
  }
}

beforeAll(async () => {
  app = new Client({ connectionString: process.env.TEST_APP_URL });
  await app.connect();
  owner = await ownerClient();
  const result = await owner.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by c.table_name`,
  );
  tenantTables = result.rows.map((row) => row.table_name);
});

afterAll(async () => {
  await app.end();
  await owner.end();
});

it('finds the tenant tables (guards against a vacuous run)', () => {
  expect(tenantTables).toEqual(expect.arrayContaining(['person', 'role_assignment', 'scheme']));
});

describe('every tenant table', () => {
  it('has row-level security enabled and forced, with a policy on the tenant context', async () => {
    const result = await owner.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: string[] }>(
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity,
              coalesce(array_agg(p.qual) filter (where p.qual is not null), '{}') as policies
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
         left join pg_policies p on p.schemaname = 'public' and p.tablename = c.relname
        where c.relname = any($1)
        group by c.relname, c.relrowsecurity, c.relforcerowsecurity`,
      [tenantTables],
    );
    expect(result.rows).toHaveLength(tenantTables.length);
    for (const row of result.rows) {
      expect({ table: row.relname, enabled: row.relrowsecurity, forced: row.relforcerowsecurity }).toEqual({
        table: row.relname,
        enabled: true,
        forced: true,
      });
      expect(row.policies.some((qual) => qual.includes('app_current_tenant()'))).toBe(true);
    }
  });

  it('has the primary key (tenant_id, id) and tenant_id first in every foreign key between tenant tables', async () => {
    const keys = await owner.query<{ table: string; type: string; columns: string[]; referenced: string | null }>(
      `select cl.relname as table, con.contype as type,
              array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
              ref.relname as referenced
         from pg_constraint con
         join pg_class cl on cl.oid = con.conrelid
         left join pg_class ref on ref.oid = con.confrelid
        where cl.relname = any($1) and con.contype in ('p', 'f', 'u')`,
      [tenantTables],
    );
    for (const key of keys.rows) {
      if (key.type === 'p') expect({ table: key.table, columns: key.columns }).toEqual({ table: key.table, columns: ['tenant_id', 'id'] });
      if (key.type === 'u') expect({ table: key.table, first: key.columns[0] }).toEqual({ table: key.table, first: 'tenant_id' });
      if (key.type === 'f' && key.referenced && tenantTables.includes(key.referenced)) {
        expect({ table: key.table, first: key.columns[0] }).toEqual({ table: key.table, first: 'tenant_id' });
      }
    }
  });

  it("shows organisation A none of organisation B's rows", async () => {
    await inTransaction(app, police, async () => {
      for (const table of tenantTables) {
        const foreign = await app.query(`select count(*)::int as n from ${table} where tenant_id = $1`, [fire]);
        expect({ table, foreignRows: foreign.rows[0].n }).toEqual({ table, foreignRows: 0 });
      }
    });
    // The check means something only if B's rows are there to be hidden.
    await inTransaction(owner, fire, async () => {
      const seeded = await owner.query(`select count(*)::int as n from person where tenant_id = $1`, [fire]);
      expect(seeded.rows[0].n).toBeGreaterThan(0);
    });
  });

  it('shows other organisations\' rows only through a partner policy, and only from organisations that share with A', async () => {
    const partnerPolicies = await owner.query<{ tablename: string }>(
      `select distinct tablename from pg_policies where schemaname = 'public' and policyname like 'partner_%' and cmd in ('SELECT', 'ALL')`,
    );
    const shareable = partnerPolicies.rows.map((row) => row.tablename).sort();
    expect(shareable).toEqual(
      expect.arrayContaining(['access_rule', 'care_plan', 'care_plan_input', 'data_sharing_agreement', 'referral', 'signposting_service']),
    );
    expect(shareable).not.toContain('care_plan_internal_note');
    await inTransaction(app, police, async () => {
      const sharers = await app.query<{ tenant_id: string }>(
        `select distinct tenant_id from data_sharing_agreement where partner_organisation_id = $1`,
        [police],
      );
      const allowed = sharers.rows.map((row) => row.tenant_id);
      for (const table of tenantTables) {
        if (table === 'audit_event') {
          // actor_read: in other organisations' logs, only the events of A's own users.
          const actors = await app.query(`select distinct actor_organisation_id from audit_event where tenant_id <> $1`, [police]);
          for (const row of actors.rows) expect({ table, actor: row.actor_organisation_id }).toEqual({ table, actor: police });
          continue;
        }
        const foreign = await app.query<{ tenant_id: string }>(`select distinct tenant_id from ${table} where tenant_id <> $1`, [police]);
        const owners = foreign.rows.map((row) => row.tenant_id);
        if (!shareable.includes(table)) expect({ table, owners }).toEqual({ table, owners: [] });
        else for (const ownerId of owners) expect({ table, ownerId, shares: allowed.includes(ownerId) }).toEqual({ table, ownerId, shares: true });
      }
    });
  });

  it("refuses to insert a row carrying organisation B's tenant_id", async () => {
    for (const table of tenantTables) {
      const error = await inTransaction(app, police, () =>
        app.query(`insert into ${table} (tenant_id) values ($1)`, [fire]).then(
          () => undefined,
          (caught: { code?: string; message: string }) => caught,
        ),
      );
      expect({ table, code: error?.code, message: error?.message }).toEqual({
        table,
        code: '42501',
        message: expect.stringContaining('row-level security'),
      });
    }
  });

  it("refuses to move a row into organisation B's tenant", async () => {
    await inTransaction(app, police, async () => {
      const moved = await app
        .query(`update person set tenant_id = $1 where tenant_id = $2`, [fire, police])
        .then(() => undefined, (caught: { code?: string }) => caught);
      expect(moved?.code).toBe('42501');
    });
  });

  it('reads empty with no tenant context set', async () => {
    await inTransaction(app, null, async () => {
      for (const table of tenantTables) {
        const rows = await app.query(`select count(*)::int as n from ${table}`);
        expect({ table, rows: rows.rows[0].n }).toEqual({ table, rows: 0 });
      }
    });
  });

  it('reads empty once a tenant transaction has ended on the same connection', async () => {
    await inTransaction(app, police, async () => {
      const own = await app.query(`select count(*)::int as n from person`);
      expect(own.rows[0].n).toBeGreaterThan(0);
    });
    // set_config(..., true) is transaction-local: the pooled connection forgets the tenant.
    const after = await app.query(`select count(*)::int as n from person`);
    expect(after.rows[0].n).toBe(0);
  });
});

describe('the application role', () => {
  it('is not a superuser, cannot bypass row-level security and owns no table', async () => {
    const role = await owner.query(
      `select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = $1`,
      [new URL(process.env.TEST_APP_URL as string).username],
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false }]);
    const owned = await app.query(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relowner = (select oid from pg_roles where rolname = current_user) and n.nspname not in ('pg_catalog', 'information_schema')`,
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it('cannot change the tenant registry or turn row-level security off', async () => {
    const write = await app
      .query(`update organisation set name = 'x' where slug = $1`, [POLICE])
      .then(() => undefined, (caught: { code?: string }) => caught);
    expect(write?.code).toBe('42501');
    const disable = await app
      .query(`alter table person disable row level security`)
      .then(() => undefined, (caught: { code?: string }) => caught);
    expect(disable?.code).toBe('42501');
  });

  it('may only append to the audit log and to histories', async () => {
    for (const table of ['audit_event', 'milo_status_change', 'terms_of_reference']) {
      const privileges = await app.query(
        `select has_table_privilege(current_user, $1, 'INSERT') as insert, has_table_privilege(current_user, $1, 'UPDATE') as update,
                has_table_privilege(current_user, $1, 'DELETE') as delete, has_table_privilege(current_user, $1, 'TRUNCATE') as truncate`,
        [table],
      );
      expect({ table, ...privileges.rows[0] }).toEqual({ table, insert: true, update: false, delete: false, truncate: false });
    }
  });

  it('is who the server connects as', async () => {
    const current = await app.query(`select current_user as name`);
    expect(current.rows[0].name).toBe(new URL(process.env.TEST_APP_URL as string).username);
  });
});
