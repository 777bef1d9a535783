import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

/**
 * One version of a scheme's terms of reference. Append-only (the server may only insert):
 * the version in force on a date is the highest version whose effectiveFrom is on or before it.
 */
@Entity({ name: 'terms_of_reference' })
export class TermsOfReference extends TenantRecord {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  @Column({ type: 'integer' })
  version: number;

  /** A calendar date (YYYY-MM-DD). */
  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;
}
