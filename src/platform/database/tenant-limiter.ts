import { rateLimited } from '../errors';

/** How much of the server one organisation may hold at once. */
export interface TenantLimits {
  /** Tenant transactions an organisation may have open at once (its share of the pool). */
  concurrency: number;
  /** Requests of one organisation that may wait for a slot; more are refused at once. */
  queueLimit: number;
  /** How long a request may wait, for a slot or to run, before it is refused. */
  queueTimeoutMs: number;
  /**
   * Estimated cost (../graphql/cost.ts) an organisation's operations may have running at once.
   * An operation running alone always may; past that the rest wait their turn.
   */
  costInFlight: number;
}

const slotsOfTransactions = new WeakMap<object, TenantSlot>();

/**
 * Remembers the slot a tenant transaction was begun under, for the GraphQL layer to admit its
 * operation. Keyed by the transaction: Apollo hands resolvers and plugins a copy of the
 * request context, but the same transaction.
 */
export function holdSlot(transaction: object, slot: TenantSlot): void {
  slotsOfTransactions.set(transaction, slot);
}

/** The slot a transaction was begun under (see holdSlot); none outside the HTTP path (scripts). */
export function slotOf(transaction: object): TenantSlot | undefined {
  return slotsOfTransactions.get(transaction);
}

/** One organisation's hold on a tenant transaction, from before it begins until after it ends. */
export interface TenantSlot {
  /**
   * Waits until the operation's estimated cost fits beside the organisation's other running
   * operations. Slots share the connection pool; this shares the server's one JavaScript
   * thread, where an organisation's heavy operations would otherwise run side by side.
   */
  admit(cost: number): Promise<void>;
  /** Gives the slot (and any cost admitted) back; calling it again does nothing. */
  release(): void;
}

interface Waiter {
  /** Called when the wait is over: a slot or an admission granted. */
  grant(): void;
  timer?: NodeJS.Timeout;
}

interface CostWaiter extends Waiter {
  cost: number;
  /** Admitted by admitWaiting: its cost already counts as running. */
  admitted: boolean;
}

interface TenantState {
  active: number;
  waiting: Waiter[];
  running: number;
  costWaiting: CostWaiter[];
}

/**
 * A fair share of the server per organisation: each organisation may run at most
 * `concurrency` tenant transactions at once, and at most `costInFlight` of estimated work, so
 * one organisation's burst of heavy operations waits in its own queue while every other
 * organisation still finds free connections and a responsive server.
 *
 * Queues are bounded in length and in time, and a refusal says when to come back
 * (RATE_LIMITED with `retryAfter`). Everything is counted in this process only: each server
 * instance behind a load balancer limits its own share of its own pool.
 *
 * Not p-limit: it has no per-key queues, no bound on waiting, no way to withdraw one waiting
 * task on a timeout and no weights, which are the whole job here.
 */
export class TenantLimiter {
  private readonly tenants = new Map<string, TenantState>();

  constructor(readonly limits: TenantLimits) {}

  /**
   * Waits for one of the organisation's slots. Rejects with RATE_LIMITED when its queue is
   * full or the wait runs out, or when `signal` aborts first (the client went away).
   */
  async acquire(tenantId: string, signal?: AbortSignal): Promise<TenantSlot> {
    const state = this.stateOf(tenantId);
    if (state.active < this.limits.concurrency) {
      state.active += 1;
      return this.slotFor(tenantId, state);
    }
    if (state.waiting.length >= this.limits.queueLimit || signal?.aborted) {
      this.forgetIfIdle(tenantId, state);
      throw this.refusal('Your organisation has too many requests waiting for the database');
    }
    await this.wait(tenantId, state.waiting, { grant: () => undefined }, 'for the database', signal);
    return this.slotFor(tenantId, state);
  }

  /** Slots in use, requests waiting and cost running, over every organisation: all 0 when idle. */
  get usage(): { active: number; waiting: number; running: number; organisations: number } {
    const usage = { active: 0, waiting: 0, running: 0, organisations: this.tenants.size };
    for (const state of this.tenants.values()) {
      usage.active += state.active;
      usage.waiting += state.waiting.length + state.costWaiting.length;
      usage.running += state.running;
    }
    return usage;
  }

  /** What one organisation holds and awaits now. */
  usageOf(tenantId: string): { active: number; waiting: number; running: number } {
    const state = this.tenants.get(tenantId);
    return state ? { active: state.active, waiting: state.waiting.length + state.costWaiting.length, running: state.running } : { active: 0, waiting: 0, running: 0 };
  }

  /** Seconds a refused client should wait: the longest a queued request would have waited. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.limits.queueTimeoutMs / 1000));
  }

  private slotFor(tenantId: string, state: TenantState): TenantSlot {
    let released = false;
    let admission: CostWaiter | undefined;
    return {
      admit: async (cost) => {
        if (released || admission) return;
        admission = { cost, admitted: false, grant: () => undefined };
        if (state.costWaiting.length === 0 && (state.running === 0 || state.running + cost <= this.limits.costInFlight)) {
          admission.admitted = true;
          state.running += cost;
          return;
        }
        await this.wait(tenantId, state.costWaiting, admission, 'to run');
      },
      release: () => {
        if (released) return;
        released = true;
        if (admission?.admitted) state.running -= admission.cost;
        else if (admission) this.withdraw(state.costWaiting, admission);
        this.admitWaiting(state);
        const next = state.waiting.shift();
        if (next) {
          // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
          clearTimeout(next.timer);
          next.grant();
          return;
        }
        state.active -= 1;
        this.forgetIfIdle(tenantId, state);
      },
    };
  }

  /** Lets queued operations run, first come first served, while they fit. */
  private admitWaiting(state: TenantState): void {
    for (let next = state.costWaiting[0]; next; next = state.costWaiting[0]) {
      if (state.running > 0 && state.running + next.cost > this.limits.costInFlight) return;
      state.costWaiting.shift();
      clearTimeout(next.timer);
      // Counted here, not when the waiting operation resumes, so the next one sees it.
      next.admitted = true;
      state.running += next.cost;
      next.grant();
    }
  }

  /** Queues `waiter` until granted; refuses after the queue timeout or when `signal` aborts. */
  private wait<W extends Waiter>(tenantId: string, queue: W[], waiter: W, what: string, signal?: AbortSignal): Promise<void> {
    const state = this.stateOf(tenantId);
    return new Promise<void>((resolve, reject) => {
      const leave = (reason: string) => {
        if (!this.withdraw(queue, waiter)) return;
        signal?.removeEventListener('abort', onAbort);
        // Whoever waited behind a heavy operation that gave up may fit now.
        this.admitWaiting(state);
        this.forgetIfIdle(tenantId, state);
        reject(this.refusal(reason));
      };
      const onAbort = () => leave('The request was abandoned while it waited');
      waiter.grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiter.timer = setTimeout(
        () => leave(`Your organisation's requests waited more than ${this.limits.queueTimeoutMs} ms ${what}`),
        this.limits.queueTimeoutMs,
      );
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private withdraw<W extends Waiter>(queue: W[], waiter: W): boolean {
    const index = queue.indexOf(waiter);
    if (index < 0) return false;
    queue.splice(index, 1);
    clearTimeout(waiter.timer);
    return true;
  }

  private stateOf(tenantId: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { active: 0, waiting: [], running: 0, costWaiting: [] };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  /** An organisation that holds and awaits nothing is dropped, so the map does not grow with every tenant ever seen. */
  private forgetIfIdle(tenantId: string, state: TenantState): void {
    const idle = state.active === 0 && state.waiting.length === 0 && state.costWaiting.length === 0;
    if (idle && this.tenants.get(tenantId) === state) this.tenants.delete(tenantId);
  }

  private refusal(reason: string) {
    return rateLimited(`${reason}; try again in ${this.retryAfterSeconds} s`, this.retryAfterSeconds);
  }
}
