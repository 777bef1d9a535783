import { Client } from 'pg';
import { seedLargeOrganisation } from '../seeds';
import { MIN_FREE_TEXT_RETENTION_DAYS } from '../src/modules/schemes/scheme.types';
import { asTenant, expectError, toGlobalId, usePlatform, type Caller } from './support/platform';

/*
 * A scheme keeps free text about a case for at least 30 days after it ends: a retention of 0
 * would let an admin erase every closed case's notes at the next sweep, before any complaint
 * or review could look at them.
 */

const slug = `retention-minimum-${Date.now()}`;
const admin: Caller = { organisation: slug, roles: ['SCHEME_ADMIN', 'STAFF'], subject: 'person-1' };
const UPDATE = `mutation($input: UpdateSchemeInput!) { updateScheme(input: $input) { scheme { freeTextRetentionDays } } }`;

const { platform, owner } = usePlatform();
let tenantId: string;
let schemeId: string;

beforeAll(async () => {
  tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Retention Minimum Constabulary', people: 2 });
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select id from scheme where tenant_id = $1`, [tenantId]));
  schemeId = toGlobalId('Scheme', rows[0].id);
});

it.each([0, 1, MIN_FREE_TEXT_RETENTION_DAYS - 1])('refuses a retention of %i days, which would erase closed cases’ free text at the next sweep', async (days) => {
  const response = await platform.graphql(admin, UPDATE, { input: { id: schemeId, freeTextRetentionDays: days } });
  const error = expectError(response, 'BAD_USER_INPUT');
  expect(error.extensions.problems).toEqual([{ field: 'freeTextRetentionDays', message: `freeTextRetentionDays must be at least ${MIN_FREE_TEXT_RETENTION_DAYS} days` }]);
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select free_text_retention_days from scheme where tenant_id = $1`, [tenantId]));
  expect(rows[0].free_text_retention_days).toBe(365);
});

it('accepts the minimum', async () => {
  const response = await platform.graphql(admin, UPDATE, { input: { id: schemeId, freeTextRetentionDays: MIN_FREE_TEXT_RETENTION_DAYS } });
  expect(response.errors).toBeUndefined();
  expect(response.data!.updateScheme.scheme.freeTextRetentionDays).toBe(MIN_FREE_TEXT_RETENTION_DAYS);
});

it('agrees with the seeded schemes and the column’s default', async () => {
  // Every organisation's schemes: read past row-level security, as the bootstrap role.
  const bootstrap = new Client({ connectionString: process.env.TEST_ADMIN_URL });
  await bootstrap.connect();
  const { rows } = await bootstrap.query(
    `select (select min(free_text_retention_days) from scheme) as seeded,
            (select column_default from information_schema.columns where table_name = 'scheme' and column_name = 'free_text_retention_days') as "default"`,
  ).finally(() => bootstrap.end());
  expect(rows[0].seeded).toBeGreaterThanOrEqual(MIN_FREE_TEXT_RETENTION_DAYS);
  expect(Number(rows[0].default)).toBeGreaterThanOrEqual(MIN_FREE_TEXT_RETENTION_DAYS);
});

it('the database refuses a retention under the minimum written behind the service’s back', async () => {
  await expect(
    asTenant(owner, tenantId, () => owner.query(`update scheme set free_text_retention_days = 0 where tenant_id = $1`, [tenantId])),
  ).rejects.toMatchObject({ code: '23514', constraint: 'scheme_free_text_retention_minimum' });
});
