import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { statementCount } from './statement-counter';

/**
 * What PostgreSQL's policies read about the caller: the organisation, and nothing else
 * (docs/architecture.md, "SQL conventions": every policy goes through app_current_tenant()).
 * Who the caller is and their roles are the application's business, decided before any
 * statement runs.
 */
export interface TenantSettings {
  tenantId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One database transaction carrying the caller's tenant context. Every statement of a
 * GraphQL operation runs inside one of these, so row-level security sees the caller and the
 * operation commits or rolls back as a whole.
 */
export class TenantTransaction {
  private finished = false;
  private actingForTenant: string | null = null;

  private constructor(
    private readonly queryRunner: QueryRunner,
    private readonly dataSource: DataSource,
    private readonly settings: TenantSettings,
  ) {}

  static async begin(dataSource: DataSource, settings: TenantSettings): Promise<TenantTransaction> {
    const queryRunner = serialised(dataSource.createQueryRunner());
    try {
      await queryRunner.connect();
      await startWithTenant(queryRunner, settings.tenantId);
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      await queryRunner.release();
      throw error;
    }
    return new TenantTransaction(queryRunner, dataSource, settings);
  }

  /**
   * Runs work in a new transaction for the same caller, after this one has ended: what must
   * be kept even when the operation rolled back (audited refusals).
   */
  async followUp(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (!this.finished) throw new Error('A follow-up runs only after the tenant transaction has ended');
    await withTenantTransaction(this.dataSource, this.settings, work);
  }

  /**
   * Runs work with app.tenant_id switched to another organisation, inside this same
   * transaction, then switches it back. Platform operators act on another organisation's
   * records (relinking a person's identity) so that the change, both organisations' audit
   * events and the operator's own request commit or roll back together, under the same
   * row-level security as everything else. Only operator services call this, after checking
   * that the caller is a platform operator. Not nestable; nothing else of the operation runs
   * meanwhile (mutations resolve one root field at a time).
   */
  async actingFor<T>(tenantId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.actingForTenant) throw new Error('Already acting for another organisation');
    const manager = this.manager;
    this.actingForTenant = tenantId;
    const restore = () => manager.query(`select set_config('app.tenant_id', $1, true)`, [this.settings.tenantId]);
    try {
      await manager.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      const result = await work(manager);
      await restore();
      return result;
    } catch (error) {
      // An aborted transaction refuses even the restore; it is rolled back as a whole anyway.
      await restore().catch(() => undefined);
      throw error;
    } finally {
      this.actingForTenant = null;
    }
  }

  get manager(): EntityManager {
    if (this.finished) throw new Error('The tenant transaction has already finished');
    return this.queryRunner.manager;
  }

  /** Statements issued so far in this transaction, including the context set-up. */
  get statements(): number {
    return statementCount(this.queryRunner);
  }

  async commit(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.queryRunner.commitTransaction();
    } finally {
      await this.queryRunner.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      if (this.queryRunner.isTransactionActive) await this.queryRunner.rollbackTransaction();
    } finally {
      await this.queryRunner.release();
    }
  }
}

/** Runs fn in a tenant transaction: commits when it resolves, rolls back when it throws. */
export async function withTenantTransaction<T>(
  dataSource: DataSource,
  settings: TenantSettings,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const transaction = await TenantTransaction.begin(dataSource, settings);
  try {
    const result = await fn(transaction.manager);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}

/**
 * START TRANSACTION and the tenant setting in one round trip: every request pays for this, so
 * it is one simple-protocol statement rather than two. Simple protocol takes no parameters,
 * hence the literal, allowed only for a well-formed UUID. set_config(..., true) is
 * transaction-local: the pooled connection forgets the caller the moment the transaction ends,
 * whatever happens. The runner's own bookkeeping is what startTransaction() would have left.
 */
async function startWithTenant(queryRunner: QueryRunner, tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new Error('A tenant transaction needs the organisation id as a UUID');
  const runner = queryRunner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  if (runner.transactionDepth !== 0) throw new Error('A tenant transaction starts on a fresh connection');
  // Set first, so a failure half-way still rolls back (a ROLLBACK outside a transaction is harmless).
  runner.isTransactionActive = true;
  runner.transactionDepth = 1;
  await queryRunner.query(`start transaction; select set_config('app.tenant_id', '${tenantId}', true)`);
}

/**
 * Resolvers of one operation run concurrently but share this transaction's single
 * connection; node-postgres deprecates overlapping queries on one client, so statements are
 * queued here instead, in the order they were issued.
 */
function serialised(queryRunner: QueryRunner): QueryRunner {
  const query = queryRunner.query.bind(queryRunner);
  let tail: Promise<unknown> = Promise.resolve();
  queryRunner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const result = tail.then(() => query(...args));
    tail = result.catch(() => undefined);
    return result;
  }) as QueryRunner['query'];
  return queryRunner;
}
