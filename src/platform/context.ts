import type DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { KeptEvent } from './audit-entry';
import type { Logger } from './logger';
import type { CallerOrganisation } from './auth/authenticate';
import type { Audience, OrganisationRole } from './auth/roles';
import type { TenantTransaction } from './database/tenant-transaction';
import { ukDateOf, type IsoDate } from './calendar';
import { forbidden } from './errors';

/** The caller of one request: who the token says, plus what the platform's records add. */
export interface Viewer {
  organisation: CallerOrganisation;
  subject: string;
  /** The person record matching the token's subject, when the organisation has one. */
  personId: string | null;
  /** Effective roles: the platform's active role assignments, capped by the token's roles claim (effectiveRoles). */
  roles: ReadonlySet<OrganisationRole>;
  audience: Audience;
}

/** Builds one kind of per-request DataLoader; a module exports these next to its queries. */
export type LoaderFactory<K, V> = (context: RequestContext) => DataLoader<K, V>;

/**
 * Per-request DataLoaders, created on first use and keyed by factory, so every module gets
 * batching and per-request caching without a central list of loaders.
 */
export class RequestLoaders {
  private readonly loaders = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(private readonly context: RequestContext) {}

  use<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = (factory as LoaderFactory<unknown, unknown>)(this.context);
      this.loaders.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Everything a resolver may use about the current request. */
export class RequestContext {
  readonly loaders: RequestLoaders;
  /** Audit events to write whatever happens to the transaction (recordDenial, recordKeptAudit). */
  readonly keptEvents: KeptEvent[] = [];

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer,
    readonly transaction: TenantTransaction,
    readonly log: Logger,
    /** "Now" for the request, so every rule in one operation agrees on the date. */
    readonly now: Date = new Date(),
  ) {
    this.loaders = new RequestLoaders(this);
  }

  /** The entity manager bound to this request's tenant transaction. */
  get db(): EntityManager {
    return this.transaction.manager;
  }

  private todayCache: IsoDate | undefined;

  /** The UK calendar date of `now`: every date rule of one operation compares with the same day. */
  get today(): IsoDate {
    return (this.todayCache ??= ukDateOf(this.now));
  }

  get tenantId(): string {
    return this.viewer.organisation.id;
  }

  hasRole(...roles: OrganisationRole[]): boolean {
    return roles.some((role) => this.viewer.roles.has(role));
  }

  requireRole(...roles: OrganisationRole[]): void {
    if (!this.hasRole(...roles)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  }

  /**
   * The caller's person record in this organisation: changes and their history need a "who",
   * so callers the organisation has no record of may read but not write. `doing` names the
   * action for the error ("Changing agreements").
   */
  requirePersonId(doing: string): string {
    const personId = this.viewer.personId;
    if (!personId) throw forbidden(`${doing} needs a person record for you in this organisation`);
    return personId;
  }
}
