import { isAuthenticated, type ModulePermissions } from '../../../platform/graphql/permissions';

/**
 * The shallow check; the service decides the rest from the platform's own records: the
 * owner's ACTIVE MILOs and Leads or its AUDITORs, or a partner's users under an agreement in
 * force whose conditions the plan meets.
 */
export const fhirExportPermissions: ModulePermissions = {
  Query: { exportCarePlanFhir: isAuthenticated },
};
