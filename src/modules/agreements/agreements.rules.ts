import { allow, hasRole, type ModulePermissions } from '../../platform/graphql/permissions';

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
  // Agreements reach callers only through the query above, node(id:) and the payloads.
  DataSharingAgreement: allow,
  AccessRule: allow,
  AccessRuleConditions: allow,
  AddAccessRulePayload: allow,
  UpdateAccessRulePayload: allow,
  RemoveAccessRulePayload: allow,
  CreateDataSharingAgreementPayload: allow,
  RevokeDataSharingAgreementPayload: allow,
};
