import { seedLargeOrganisation } from '../seeds';
import { config } from '../src/platform/config';
import { asTenant, expectError, toGlobalId, usePlatform, type Caller } from './support/platform';

/*
 * DB_STATEMENT_TIMEOUT_MS bounds every statement the server sends as the application role, so
 * no operation holds a connection (and its organisation's slot) for longer. Set to half a
 * second here; a statement made to wait on a row the test locks runs into it.
 */

const slug = `statement-timeout-${Date.now()}`;
const admin: Caller = { organisation: slug, roles: ['SCHEME_ADMIN', 'STAFF'], subject: 'person-1' };

const { platform, owner } = usePlatform({ environment: { DB_STATEMENT_TIMEOUT_MS: '500' } });
let tenantId: string;
let schemeId: string;

beforeAll(async () => {
  tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Timeout Constabulary', people: 2 });
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select id from scheme where tenant_id = $1`, [tenantId]));
  schemeId = rows[0].id;
});

it('applies to the application role’s own connections', async () => {
  const [row] = await platform.platform.dataSource.query(`select current_user as role, current_setting('statement_timeout') as timeout`);
  expect(row).toEqual({ role: config().appRole, timeout: '500ms' });
});

it('ends an operation whose statement runs past it with QUERY_TIMEOUT, rolled back, not an internal error', async () => {
  await owner.query('begin');
  await owner.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
  await owner.query(`select id from scheme where tenant_id = $1 and id = $2 for update`, [tenantId, schemeId]);
  let response;
  try {
    response = await platform.graphql(admin, `mutation($input: UpdateSchemeInput!) { updateScheme(input: $input) { scheme { name } } }`, {
      input: { id: toGlobalId('Scheme', schemeId), name: 'Renamed while locked' },
    });
  } finally {
    await owner.query('rollback');
  }
  const error = expectError(response, 'QUERY_TIMEOUT');
  expect(error.message).toMatch(/longer than the database allows/);
  expect(response.status).toBe(200);
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select name from scheme where tenant_id = $1 and id = $2`, [tenantId, schemeId]));
  expect(rows[0].name).toBe('MILO scheme');
  expect(platform.platform.http.limiter.usage.active).toBe(0);
});
