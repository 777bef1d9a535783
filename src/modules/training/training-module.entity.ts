import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

/** A course in an organisation's training catalogue, often delivered by a partner. */
@Entity({ name: 'training_module' })
export class TrainingModule extends EditableTenantRecord {
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The delivering organisation when it is on the platform (an NHS trust, say). */
  @Column({ name: 'provider_organisation_id', type: 'uuid', nullable: true })
  providerOrganisationId: string | null;

  /** The provider's name when it is not on the platform (Mind, a college). */
  @Column({ name: 'provider_name', type: 'text', nullable: true })
  providerName: string | null;

  @Column({ type: 'numeric', precision: 5, scale: 1, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  hours: number;

  /** Months a completion stays valid; null = it does not expire. */
  @Column({ name: 'validity_months', type: 'integer', nullable: true })
  validityMonths: number | null;

  @Column({ type: 'boolean' })
  active: boolean;
}
