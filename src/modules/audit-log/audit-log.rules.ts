import { hasRole, type ModulePermissions } from '../../platform/graphql/permissions';

/** Data protection officers only; row-level security decides which events they get. */
export const auditLogPermissions: ModulePermissions = {
  Query: { auditEvents: hasRole('AUDITOR') },
};
