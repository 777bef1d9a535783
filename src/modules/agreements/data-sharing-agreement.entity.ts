import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

export const AgreementStatus = { DRAFT: 'DRAFT', ACTIVE: 'ACTIVE', REVOKED: 'REVOKED' } as const;
export type AgreementStatus = (typeof AgreementStatus)[keyof typeof AgreementStatus];

/**
 * An agreement by which the owner (tenantId) shares some of its records with one partner
 * organisation. Its access rules say what; its dates and status say while when.
 */
@Entity({ name: 'data_sharing_agreement' })
export class DataSharingAgreement extends EditableTenantRecord {
  @Column({ name: 'partner_organisation_id', type: 'uuid' })
  partnerOrganisationId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'lawful_basis', type: 'text' })
  lawfulBasis: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last day in force (inclusive); null = until revoked. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ type: 'text' })
  status: AgreementStatus;

  @Column({ name: 'owner_signatory', type: 'text', nullable: true })
  ownerSignatory: string | null;

  @Column({ name: 'partner_signatory', type: 'text', nullable: true })
  partnerSignatory: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;
}
