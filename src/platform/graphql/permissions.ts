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

/** A module's rules: root fields by type, object types as a whole or per field. */
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

/**
 * The shield: anything not explicitly allowed is denied with FORBIDDEN. Errors that
 * resolvers throw pass through (they already carry codes, or are masked later).
 */
export function permissionsMiddleware(rules: IRules) {
  return shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (error) => (isPlatformError(error) ? error : forbidden()),
  });
}
