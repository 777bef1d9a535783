import { seedLargeOrganisation } from '../seeds';
import { usePlatform } from './support/platform';

/**
 * Nested lists load through per-request DataLoaders: the statements an operation costs
 * depend on the query's shape, not on how many rows it returns.
 */
const slug = `statement-count-${Date.now()}`;
const { platform } = usePlatform();

beforeAll(async () => {
  await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Statement Count Constabulary', people: 120 });
});
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
