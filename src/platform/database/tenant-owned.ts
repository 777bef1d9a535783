import { PrimaryColumn } from 'typeorm';

/**
 * The key every tenant-owned table has (DESIGN.md 2): (tenant_id, id). Entities extend this
 * rather than repeat it, so no tenant table can be mapped without its tenant column.
 */
export abstract class TenantOwned {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;
}
