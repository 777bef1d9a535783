import type { PlatformModule } from '../module';
import { AuditEvent } from './audit-event.entity';
import { AuditLogResolver } from './audit-log.resolver';
import { auditLogPermissions } from './audit-log.rules';
import { findAuditEvent } from './audit-log.service';

export { auditEventsAbout } from './audit-log.service';

/** The audit log read by data protection officers; events are written by src/platform/audit.ts. */
export const auditLogModule: PlatformModule = {
  name: 'audit-log',
  entities: [AuditEvent],
  resolvers: [AuditLogResolver],
  permissions: auditLogPermissions,
  nodeTypes: [{ typeName: 'AuditEvent', entity: AuditEvent, load: findAuditEvent }],
};
