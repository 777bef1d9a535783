import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/** Code lists are not secret inside the organisation: every form needs them. */
export const taxonomyPermissions: ModulePermissions = {
  Query: { taxonomy: isAuthenticated },
  Mutation: { defineTaxonomyTerm: schemeAdmin, updateTaxonomyTerm: schemeAdmin },
};
