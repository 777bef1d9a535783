import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

/** A service signposted during a contact; the service may belong to a partner organisation. */
@Entity({ name: 'support_signposting' })
export class SupportSignposting extends TenantRecord {
  @Column({ name: 'support_contact_id', type: 'uuid' })
  supportContactId: string;

  @Column({ name: 'service_organisation_id', type: 'uuid' })
  serviceOrganisationId: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  /** The service's name when signposted, so figures still name it after an agreement ends. */
  @Column({ name: 'service_name', type: 'text' })
  serviceName: string;
}
