import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';
import type { AccessAction, SharedResource } from './access-rules';

/** What an agreement lets its partner do with one kind of the owner's records. */
@Entity({ name: 'access_rule' })
export class AccessRule extends TenantRecord {
  @Column({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  /** Copied from the agreement (a foreign key holds it equal) so policies can index it. */
  @Column({ name: 'partner_organisation_id', type: 'uuid' })
  partnerOrganisationId: string;

  @Column({ type: 'text' })
  resource: SharedResource;

  @Column({ type: 'text', array: true })
  actions: AccessAction[];

  /** The fields of the resource the partner may see or send; empty = the resource's minimum. */
  @Column({ name: 'field_scope', type: 'text', array: true })
  fieldScope: string[];

  /** Further conditions (care-plan rules extend these); {} = none. */
  @Column({ type: 'jsonb' })
  conditions: Record<string, unknown>;
}
