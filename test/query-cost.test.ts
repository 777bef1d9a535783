import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, getIntrospectionQuery, getNamedType, parse, typeFromAST, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { schemaParts } from '../src/app';
import { config } from '../src/platform/config';
import { DEFAULT_LIST_SIZE, SCHEME_WIDE, operationCost } from '../src/platform/graphql/cost';
import { MAX_PAGE_SIZE } from '../src/platform/graphql/relay';
import { buildBaseSchema } from '../src/platform/graphql/schema';
import { POLICE, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * The cost estimate charges what an operation will make the server do: lists by the page they
 * will return, scheme-wide figures and exports by their measured work. An operation over
 * GRAPHQL_MAX_COST is refused before any resolver runs, so one request cannot occupy the
 * database for seconds (README.md, "Limits").
 */

const { platform } = usePlatform();
const admin: Caller = personas.police.admin;
const scheme = toGlobalId('Scheme', demoIds.scheme(POLICE));
const maxCost = () => config().limits.maxCost;

const aliased = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const COVERAGE = `scheme(id: "${scheme}") { coverage { areas { area activeMilos } } }`;

async function post(caller: Caller, query: string, variables?: Record<string, unknown>) {
  const token = await platform.token(caller);
  return platform.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send({ query, variables });
}

/** A refusal for cost: 400, GRAPHQL_VALIDATION_FAILED, both numbers in the message and the extensions. */
function expectTooCostly(response: Awaited<ReturnType<typeof post>>) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors;
  expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(error.extensions.maxCost).toBe(maxCost());
  expect(error.extensions.cost).toBeGreaterThan(maxCost());
  expect(error.message).toContain(String(error.extensions.cost));
  expect(error.message).toContain(String(maxCost()));
  expect(response.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
  return error;
}

describe('scheme-wide figures', () => {
  it('serves one scheme coverage, charged for every member it computes', async () => {
    const response = await post(admin, aliased(1, COVERAGE));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.a0.coverage.areas.length).toBeGreaterThan(0);
    expect(Number(response.headers['x-query-cost'])).toBeGreaterThanOrEqual(SCHEME_WIDE);
  });

  it('refuses fifteen aliases of a scheme coverage, the operation whose flood slowed every organisation', async () => {
    expectTooCostly(await post(admin, aliased(15, COVERAGE)));
  });

  it('refuses aliased MILO lists filtered by status, each of which computes every member’s status', async () => {
    const query = aliased(10, `milos(schemeId: "${scheme}", first: 1, filter: { status: LAPSED }) { totalCount }`);
    expectTooCostly(await post(admin, query));
    // The same lists unfiltered read one page each: cheap.
    const unfiltered = await post(admin, aliased(10, `milos(schemeId: "${scheme}", first: 1) { totalCount }`));
    expect(unfiltered.body.errors).toBeUndefined();
  });

  it('charges demand figures per month, so aliased two-year reports are refused', async () => {
    const figures = (to: string) => `demandFigures(input: { schemeId: "${scheme}", from: "2024-01-01", to: "${to}" }) { rows { month } }`;
    const oneMonth = await post(admin, `{ ${figures('2024-01-31')} }`);
    const twoYears = await post(admin, `{ ${figures('2025-12-31')} }`);
    expect(oneMonth.body.errors).toBeUndefined();
    expect(twoYears.body.errors).toBeUndefined();
    expect(Number(twoYears.headers['x-query-cost'])).toBeGreaterThan(20 * Number(oneMonth.headers['x-query-cost']));
    expectTooCostly(await post(admin, aliased(3, figures('2025-12-31'))));
  });
});

describe('lists', () => {
  const people = (first: string) => `people(first: ${first}) { edges { node { displayName trainingRecords { completedOn } } } }`;

  it('charges a connection by its page size, given inline or in a variable', async () => {
    const ten = await post(admin, `{ ${people('10')} }`);
    const hundred = await post(admin, `{ ${people('100')} }`);
    const variable = await post(admin, `query($n: Int) { ${people('$n')} }`, { n: 100 });
    const absent = await post(admin, `{ people { edges { node { displayName trainingRecords { completedOn } } } } }`);
    for (const response of [ten, hundred, variable, absent]) expect(response.body.errors).toBeUndefined();
    const cost = (response: typeof ten) => Number(response.headers['x-query-cost']);
    // Each person: the row and a plain list of records (DEFAULT_LIST_SIZE rows).
    expect(cost(hundred) - cost(ten)).toBe(90 * (1 + DEFAULT_LIST_SIZE));
    expect(cost(variable)).toBe(cost(hundred));
    // No `first`: the default page of 20, which is what the resolver returns.
    expect(cost(absent) - cost(ten)).toBe(10 * (1 + DEFAULT_LIST_SIZE));
  });

  it('refuses the largest pages asked for in many aliases, nested lists multiplied', async () => {
    expectTooCostly(await post(admin, aliased(10, `people(first: 100) { edges { node { trainingRecords { module { code } verifiedBy { displayName } } } } }`)));
  });

  it('refuses when the page size in a variable makes the difference', async () => {
    const query = `query($n: Int) { ${Array.from({ length: 10 }, (_, i) => `a${i}: people(first: $n) { edges { node { trainingRecords { module { code } verifiedBy { displayName } } } } }`).join(' ')} }`;
    const small = await post(admin, query, { n: 5 });
    expect(small.body.errors).toBeUndefined();
    expectTooCostly(await post(admin, query, { n: 100 }));
  });
});

describe('what is not charged', () => {
  it('serves the full introspection query that code generators send', async () => {
    const response = await post(personas.police.staff, getIntrospectionQuery());
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.headers['x-query-cost']).toBe('0');
  });

  it('leaves bad variables to execution: BAD_USER_INPUT, not a cost refusal', async () => {
    const response = await platform.graphql(admin, `query($n: Int) { people(first: $n) { totalCount } }`, { n: 'many' });
    expectError(response, 'BAD_USER_INPUT');
  });
});

describe('the README', () => {
  /** Every operation of every graphql block, with a value for each variable it declares. */
  function readmeOperations(schema: GraphQLSchema) {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
    return blocks.flatMap((block) => {
      const document = parse(block);
      const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
      return document.definitions
        .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => {
          const variables = Object.fromEntries(
            (operation.variableDefinitions ?? []).map((definition) => {
              const type = getNamedType(typeFromAST(schema, definition.type as never));
              // Page sizes as large as they may be: the estimate must fit even then.
              return [definition.variable.name.value, type?.name === 'Int' ? MAX_PAGE_SIZE : type?.name === 'Boolean' ? true : 'x'];
            }),
          );
          return { text: operation.loc ? block.slice(operation.loc.start, operation.loc.end) : block, document: { ...document, definitions: [operation, ...fragments] }, variables };
        });
    });
  }

  it('fits every operation it shows within GRAPHQL_MAX_COST', async () => {
    const schema = await buildBaseSchema(schemaParts());
    const operations = readmeOperations(schema);
    expect(operations.length).toBeGreaterThan(30);
    const over = operations
      .map((operation) => ({ cost: operationCost(schema, operation.document, operation.variables, undefined), text: operation.text.slice(0, 120) }))
      .filter(({ cost }) => cost === undefined || cost > maxCost());
    expect(over).toEqual([]);
  });
});
