import { CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The key every tenant-owned table has (docs/architecture.md, "SQL conventions"): (tenant_id, id). Entities extend this
 * rather than repeat it, so no tenant table can be mapped without its tenant column.
 */
export abstract class TenantOwned {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;
}

/** A tenant row that keeps when it was written (`created_at`, set by the database on insert). */
export abstract class TenantRecord extends TenantOwned {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A tenant row that changes after it is written: `updated_at` moves with every update. */
export abstract class EditableTenantRecord extends TenantRecord {
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
