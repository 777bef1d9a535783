import { isIntrospectionType, isObjectType, type GraphQLSchema } from 'graphql';
import type { IMiddlewareFieldMap, IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, and, deny, rule, shield, type IRules } from 'graphql-shield';
import type { RequestContext } from '../context';
import type { OrganisationRole } from '../auth/roles';
import { forbidden, isPlatformError } from '../errors';

export { allow, deny };

/** Any caller whose token was verified (every request past the authenticator). */
export const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })(
  (_parent, _args, context: RequestContext) => Boolean(context.viewer),
);

const roleRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();

/** The caller holds at least one of these organisation-level roles. */
export function hasRole(...roles: OrganisationRole[]) {
  const name = `hasRole:${[...roles].sort().join('|')}`;
  let result = roleRules.get(name);
  if (!result) {
    result = rule(name, { cache: 'contextual' })((_parent, _args, context: RequestContext) =>
      context.hasRole(...roles) ? true : forbidden(`This needs one of the roles: ${roles.join(', ')}`),
    );
    roleRules.set(name, result);
  }
  return result;
}

type ShieldRule = Parameters<typeof and>[number];
type IRuleFieldMap = Record<string, ShieldRule>;
type IRuleTypeMap = Record<string, ShieldRule | IRuleFieldMap>;

/**
 * A module's rules: a gate for each of its root fields (Query, Mutation), and for the rare field
 * of an object type that is a decision of its own. Object types are otherwise allowed.
 */
export type ModulePermissions = IRuleTypeMap;

/** Merges every module's rule map; two modules ruling the same field is a programming error. */
export function mergePermissions(maps: readonly ModulePermissions[]): IRuleTypeMap {
  const merged: IRuleTypeMap = {};
  for (const map of maps) {
    for (const [typeName, rules] of Object.entries(map)) {
      const existing = merged[typeName];
      if (!existing) {
        merged[typeName] = rules;
        continue;
      }
      if (!isFieldMap(existing) || !isFieldMap(rules)) throw new Error(`Permissions for ${typeName} are declared twice`);
      for (const field of Object.keys(rules)) {
        if (field in existing) throw new Error(`Permission for ${typeName}.${field} is declared twice`);
      }
      merged[typeName] = { ...existing, ...rules };
    }
  }
  return merged;
}

function isFieldMap(value: unknown): value is IRuleFieldMap {
  return typeof value === 'object' && value !== null && !('resolve' in value);
}

/** The root types: their fields are the only ways into the graph, so each needs its own gate. */
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** One field's gate, as the shield applies it. */
export interface FieldGate {
  typeName: string;
  fieldName: string;
  rule: ShieldRule;
  /** True when no module declared a rule for this root field: it is denied. */
  unruled: boolean;
}

/**
 * Every field that has a gate other than `allow`: each root field (its module's rule, or deny
 * when no module ruled it) and the few fields of object types that a module gates itself.
 * Every other field of an object type is allowed: an object is reached only through a gated
 * root field, and its module's access policy decides in the resolvers what it shows (see
 * docs/architecture.md, "Authorization").
 */
export function fieldGates(schema: GraphQLSchema, rules: IRuleTypeMap): FieldGate[] {
  const gates: FieldGate[] = [];
  for (const typeName of Object.keys(rules)) {
    if (!schema.getType(typeName)) throw new Error(`Permissions name ${typeName}, which the schema does not have`);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const declared = rules[type.name];
    const fields = type.getFields();
    if (declared && isFieldMap(declared)) {
      for (const fieldName of Object.keys(declared)) {
        if (fieldName !== '*' && !fields[fieldName]) throw new Error(`Permissions name ${type.name}.${fieldName}, which the schema does not have`);
      }
    }
    const isRoot = ROOT_TYPES.has(type.name);
    for (const fieldName of Object.keys(fields)) {
      const ruled = declared === undefined ? undefined : isFieldMap(declared) ? (declared[fieldName] ?? declared['*']) : declared;
      if (isRoot && ruled === undefined) gates.push({ typeName: type.name, fieldName, rule: deny, unruled: true });
      else if (ruled !== undefined && ruled !== allow) gates.push({ typeName: type.name, fieldName, rule: ruled, unruled: false });
    }
  }
  return gates;
}

/**
 * The shield, applied only to gated fields (fieldGates): a root field no module ruled is
 * denied with FORBIDDEN, and allowed fields keep their own resolvers unwrapped. Errors that
 * resolvers throw pass through (they already carry codes, or are masked later).
 */
export function permissionsMiddleware(schema: GraphQLSchema, rules: IRuleTypeMap): IMiddlewareTypeMap {
  const tree: Record<string, IRuleFieldMap> = {};
  for (const gate of fieldGates(schema, rules)) (tree[gate.typeName] ??= {})[gate.fieldName] = gate.rule;
  const generated = shield(tree as IRules, {
    fallbackRule: allow,
    allowExternalErrors: true,
    fallbackError: (error) => (isPlatformError(error) ? error : forbidden()),
  }).generate(schema) as IMiddlewareTypeMap;
  // The shield generates a wrapper for every field of every object type; keep the gated ones.
  const gated: IMiddlewareTypeMap = {};
  for (const [typeName, fields] of Object.entries(tree)) {
    const wrappers = generated[typeName] as IMiddlewareFieldMap;
    gated[typeName] = Object.fromEntries(Object.keys(fields).map((fieldName) => [fieldName, wrappers[fieldName]]));
  }
  return gated;
}
