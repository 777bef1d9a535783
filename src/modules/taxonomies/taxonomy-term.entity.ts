import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';
import type { TaxonomyKind } from './taxonomy-kind';

/** One value of an organisation's own code list (a contact theme, an outcome, a training need). */
@Entity({ name: 'taxonomy_term' })
export class TaxonomyTerm extends EditableTenantRecord {
  @Column({ type: 'text' })
  taxonomy: TaxonomyKind;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'integer' })
  position: number;

  /** Retired terms stay readable (past records keep their codes) but cannot be chosen again. */
  @Column({ type: 'boolean' })
  active: boolean;
}
