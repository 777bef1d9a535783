import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/**
 * Any member of the organisation may read its schemes, roles and terms of reference (they
 * are not secret inside it; the loaders keep other organisations' out). Changing them is for
 * scheme admins. Who published a version is a person record, so only admins see it, as with
 * `person(id:)`.
 */
export const schemePermissions: ModulePermissions = {
  Query: { scheme: isAuthenticated },
  Mutation: {
    createScheme: schemeAdmin,
    updateScheme: schemeAdmin,
    updateSchemeRole: schemeAdmin,
    publishTermsOfReference: schemeAdmin,
  },
  TermsOfReference: { createdBy: schemeAdmin },
};
