import { hasRole, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

export const agreementPermissions: ModulePermissions = {
  Query: { dataSharingAgreements: hasRole('SCHEME_ADMIN', 'AUDITOR', 'PARTNER') },
  Mutation: {
    createDataSharingAgreement: schemeAdmin,
    revokeDataSharingAgreement: schemeAdmin,
    addAccessRule: schemeAdmin,
    updateAccessRule: schemeAdmin,
    removeAccessRule: schemeAdmin,
  },
};
