import { randomUUID } from 'node:crypto';
import { TestPlatform, asTenant, ownerClient } from './support/platform';

/**
 * Nested lists load through per-request DataLoaders: the statements an operation costs
 * depend on the query's shape, not on how many rows it returns.
 */
const slug = `statement-count-${Date.now()}`;
let platform: TestPlatform;

beforeAll(async () => {
  platform = await TestPlatform.start();
  const owner = await ownerClient();
  try {
    const tenantId = randomUUID();
    await owner.query(`insert into organisation (id, slug, name, kind) values ($1, $2, 'Statement Count Constabulary', 'POLICE')`, [tenantId, slug]);
    await asTenant(owner, tenantId, async () => {
      await owner.query(`insert into scheme (tenant_id, name, purpose) values ($1, 'MILO scheme', 'Counting statements')`, [tenantId]);
      await owner.query(
        `insert into person (tenant_id, subject, display_name, work_email, employment_type, area)
         select $1, 'person-' || n, 'Person ' || lpad(n::text, 3, '0'), 'person' || n || '@example.org', 'POLICE_OFFICER', 'Area ' || (n % 7)
           from generate_series(1, 120) n`,
        [tenantId],
      );
      await owner.query(
        `insert into role_assignment (tenant_id, person_id, role) select tenant_id, id, 'STAFF' from person where tenant_id = $1`,
        [tenantId],
      );
      await owner.query(
        `insert into role_assignment (tenant_id, person_id, role) select tenant_id, id, 'SCHEME_ADMIN' from person where tenant_id = $1 and subject = 'person-1'`,
        [tenantId],
      );
    });
  } finally {
    await owner.end();
  }
});
afterAll(() => platform.close());

const NESTED = `query($first: Int!) {
  people(first: $first) {
    totalCount
    edges { node { displayName roles roleAssignments { role grantedAt } organisation { name schemes { name } } } }
  }
}`;

async function statementsFor(first: number): Promise<number> {
  const response = await platform.graphql({ organisation: slug, roles: ['SCHEME_ADMIN'], subject: 'person-1' }, NESTED, { first });
  expect(response.errors).toBeUndefined();
  expect(response.data!.people.edges).toHaveLength(first);
  expect(response.data!.people.edges[first - 1].node.roles).toContain('STAFF');
  return response.statements as number;
}

it('costs the same number of SQL statements for 10 people as for 100', async () => {
  const ten = await statementsFor(10);
  const hundred = await statementsFor(100);
  expect(ten).toBeGreaterThan(0);
  expect(hundred).toBe(ten);
});
