import 'reflect-metadata';
import { execute, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { schemaParts } from '../../src/app';
import { deny, fieldGates, isAuthenticated, mergePermissions, type ModulePermissions } from '../../src/platform/graphql/permissions';
import { buildBaseSchema, buildUnprotectedSchema } from '../../src/platform/graphql/schema';

/*
 * The shield gates root fields, deny by default; object types are reached only through them and
 * are allowed unless a module gates one of their fields (see docs/architecture.md, "Authorization").
 */

@ObjectType()
class ShieldProbe {
  @Field()
  name!: string;

  @Field()
  secret!: string;
}

@Resolver()
class ShieldProbeResolver {
  @Query(() => ShieldProbe)
  ruledShieldProbe(): ShieldProbe {
    return { name: 'probe', secret: 'hidden' };
  }

  @Query(() => String)
  unruledShieldProbe(): string {
    return 'reached';
  }
}

const probePermissions: ModulePermissions = {
  Query: { ruledShieldProbe: isAuthenticated },
  ShieldProbe: { secret: deny },
};

async function probeSchema(): Promise<GraphQLSchema> {
  const parts = schemaParts();
  return buildBaseSchema({
    ...parts,
    resolvers: [...parts.resolvers, ShieldProbeResolver],
    permissions: [...parts.permissions, probePermissions],
  });
}

const viewerContext = { viewer: { roles: new Set(['STAFF']) }, hasRole: () => false };

function codesOf(result: Awaited<ReturnType<typeof execute>>) {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

describe('the shield', () => {
  it('has an explicit rule from its module for every Query and Mutation field of the platform', async () => {
    const parts = schemaParts();
    const schema = await buildUnprotectedSchema(parts);
    const rootFields = ['Query', 'Mutation'].flatMap((typeName) => {
      const type = schema.getType(typeName);
      return isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${typeName}.${field}`) : [];
    });
    expect(rootFields.length).toBeGreaterThan(50);
    const unruled = fieldGates(schema, mergePermissions(parts.permissions))
      .filter((gate) => gate.unruled)
      .map((gate) => `${gate.typeName}.${gate.fieldName}`);
    expect(unruled).toEqual([]);
  });

  it('denies a root field that no module ruled, with FORBIDDEN', async () => {
    const result = await execute({ schema: await probeSchema(), document: parse('{ unruledShieldProbe }'), contextValue: viewerContext });
    expect(codesOf(result)).toEqual(['FORBIDDEN']);
    expect(result.data).toBeNull();
  });

  it('lets a ruled root field through, with its object type allowed but for the field its module gates', async () => {
    const schema = await probeSchema();
    const allowed = await execute({ schema, document: parse('{ ruledShieldProbe { name } }'), contextValue: viewerContext });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ ruledShieldProbe: { name: 'probe' } });

    const gated = await execute({ schema, document: parse('{ ruledShieldProbe { name secret } }'), contextValue: viewerContext });
    expect(codesOf(gated)).toEqual(['FORBIDDEN']);
  });

  it('wraps only gated fields: root fields and the few object fields a module decides', async () => {
    const parts = schemaParts();
    const schema = await buildUnprotectedSchema(parts);
    const gates = fieldGates(schema, mergePermissions(parts.permissions));
    const objectFieldGates = gates.filter((gate) => gate.typeName !== 'Query' && gate.typeName !== 'Mutation');
    expect(objectFieldGates.map((gate) => `${gate.typeName}.${gate.fieldName}`)).toEqual(
      expect.arrayContaining(['Person.subject', 'Person.roleAssignments', 'TermsOfReference.createdBy', 'Scheme.coverage']),
    );
    const objectFields = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__') && type.name !== 'Query' && type.name !== 'Mutation')
      .reduce((count, type) => count + Object.keys((type as { getFields(): object }).getFields()).length, 0);
    expect(objectFieldGates.length).toBeLessThan(objectFields / 20);
  });

  it('refuses rules for a type or field the schema does not have', async () => {
    const parts = schemaParts();
    const schema = await buildUnprotectedSchema(parts);
    expect(() => fieldGates(schema, mergePermissions([...parts.permissions, { Nonexistent: { field: deny } }]))).toThrow(/Nonexistent/);
    expect(() => fieldGates(schema, mergePermissions([...parts.permissions, { Person: { nonexistent: deny } }]))).toThrow(/Person/);
  });
});
