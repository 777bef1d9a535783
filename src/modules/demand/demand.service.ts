import type { RequestContext } from '../../platform/context';
import { badUserInput, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { callerMemberships } from '../milos';
import { type Scheme, schemeById } from '../schemes';
import { termsOf, type TaxonomyKind } from '../taxonomies';
import { FeedbackSource } from '../feedback';
import { monthsOf, periodProblems } from './demand-range';
import type { DemandFiguresInput } from './demand.types';
import { SUPPRESSION_THRESHOLD, suppressCount, suppressStatistic, suppressTotal, type Suppressible } from './suppression';

/*
 * Demand figures: a fixed set of GROUP BY statements, one per kind of figure, whatever the
 * number of months and areas; the rows are assembled and suppressed here. Counting happens in
 * PostgreSQL, so no record about a person leaves the database for this report.
 *
 * Months are calendar months in UK time. Areas: a support request's preferred area, an advice
 * request's area, 'Unspecified' when none was given; contacts, signposting and feedback take
 * the area of their request.
 */

export const UNSPECIFIED_AREA = 'Unspecified';

// $1 tenant, $2 scheme, $3 first day, $4 last day, $5 area or null.
const REQUEST_AREA = `coalesce(nullif(btrim(r.preferred_area), ''), '${UNSPECIFIED_AREA}')`;
const ADVICE_AREA = `coalesce(nullif(btrim(a.area), ''), '${UNSPECIFIED_AREA}')`;
const monthOfInstant = (column: string) => `to_char(${column} at time zone 'Europe/London', 'YYYY-MM')`;
/** Index-friendly: the column against the UK midnights that bound the period. */
const instantInPeriod = (column: string) =>
  `${column} >= ($3::date)::timestamp at time zone 'Europe/London' and ${column} < ($4::date + 1)::timestamp at time zone 'Europe/London'`;
const inArea = (area: string) => `($5::text is null or ${area} = $5::text)`;
const CONTACT_REQUEST = `join support_request r on r.tenant_id = c.tenant_id and r.id = c.support_request_id`;
const CONTACTS_IN_PERIOD = `c.tenant_id = $1 and r.scheme_id = $2 and c.contact_on between $3::date and $4::date and ${inArea(REQUEST_AREA)}`;

const SQL = {
  supportRequests: `
    select ${monthOfInstant('r.created_at')} as month, ${REQUEST_AREA} as area, count(*)::int as count
      from support_request r
     where r.tenant_id = $1 and r.scheme_id = $2 and ${instantInPeriod('r.created_at')} and ${inArea(REQUEST_AREA)}
     group by 1, 2`,
  closures: `
    select ${monthOfInstant('r.closed_at')} as month, ${REQUEST_AREA} as area, r.closure_outcome_code as code, count(*)::int as count
      from support_request r
     where r.tenant_id = $1 and r.scheme_id = $2 and r.status = 'CLOSED' and r.closure_outcome_code is not null
       and ${instantInPeriod('r.closed_at')} and ${inArea(REQUEST_AREA)}
     group by 1, 2, 3`,
  contacts: `
    select to_char(c.contact_on, 'YYYY-MM') as month, ${REQUEST_AREA} as area, c.outcome_code as code,
           count(*)::int as count, sum(c.minutes)::int as minutes
      from support_contact c ${CONTACT_REQUEST}
     where ${CONTACTS_IN_PERIOD}
     group by 1, 2, 3`,
  advice: `
    select ${monthOfInstant('a.created_at')} as month, ${ADVICE_AREA} as area, count(*)::int as count,
           coalesce(sum(a.minutes), 0)::int as minutes, count(a.minutes)::int as timed
      from advice_request a
     where a.tenant_id = $1 and a.scheme_id = $2 and ${instantInPeriod('a.created_at')} and ${inArea(ADVICE_AREA)}
     group by 1, 2`,
  themes: `
    select month, area, code, count(*)::int as count from (
      select to_char(c.contact_on, 'YYYY-MM') as month, ${REQUEST_AREA} as area, unnest(c.theme_codes) as code
        from support_contact c ${CONTACT_REQUEST}
       where ${CONTACTS_IN_PERIOD}
      union all
      select ${monthOfInstant('a.created_at')}, ${ADVICE_AREA}, unnest(a.theme_codes)
        from advice_request a
       where a.tenant_id = $1 and a.scheme_id = $2 and ${instantInPeriod('a.created_at')} and ${inArea(ADVICE_AREA)}
    ) used
     group by 1, 2, 3`,
  signposting: `
    select to_char(c.contact_on, 'YYYY-MM') as month, ${REQUEST_AREA} as area, s.service_name as "serviceName", count(*)::int as count
      from support_signposting s
      join support_contact c on c.tenant_id = s.tenant_id and c.id = s.support_contact_id
      ${CONTACT_REQUEST}
     where ${CONTACTS_IN_PERIOD}
     group by 1, 2, 3`,
  // The first assignment: the assignment history when there is one, else the request's own column.
  waiting: `
    with first_assignment as (
      select r.id, ${REQUEST_AREA} as area, r.created_at,
             coalesce((select min(sa.assigned_at) from support_assignment sa where sa.tenant_id = r.tenant_id and sa.support_request_id = r.id), r.assigned_at) as assigned_at
        from support_request r
       where r.tenant_id = $1 and r.scheme_id = $2 and r.status <> 'WAITING' and ${inArea(REQUEST_AREA)}
         and r.created_at < ($4::date + 1)::timestamp at time zone 'Europe/London'
         -- assigned_at is the latest assignment, never before the first: requests last assigned
         -- before the period cannot have been first assigned in it.
         and (r.assigned_at is null or r.assigned_at >= ($3::date)::timestamp at time zone 'Europe/London')
    )
    select ${monthOfInstant('assigned_at')} as month, area, count(*)::int as count,
           percentile_cont(0.5) within group (order by extract(epoch from assigned_at - created_at) / 3600) as median,
           percentile_cont(0.9) within group (order by extract(epoch from assigned_at - created_at) / 3600) as p90
      from first_assignment
     where ${instantInPeriod('assigned_at')}
     group by 1, 2`,
  feedback: `
    select ${monthOfInstant('f.created_at')} as month, ${REQUEST_AREA} as area, f.source, count(*)::int as count, sum(f.rating)::int as ratings
      from feedback f join support_request r on r.tenant_id = f.tenant_id and r.id = f.support_request_id
     where f.tenant_id = $1 and r.scheme_id = $2 and ${instantInPeriod('f.created_at')} and ${inArea(REQUEST_AREA)}
     group by 1, 2, 3`,
  // Scheme-wide: the training MILOs ask for is about the scheme, not about an area ($5 unused).
  trainingNeeds: `
    select code, count(*)::int as count from (
      select unnest(f.training_need_codes) as code
        from feedback f join support_request r on r.tenant_id = f.tenant_id and r.id = f.support_request_id
       where f.tenant_id = $1 and r.scheme_id = $2 and f.source = 'MILO' and ${instantInPeriod('f.created_at')}
    ) asked
     group by 1`,
} as const;

interface Cell {
  month: string;
  area: string;
}
type CodeCounts = Map<string, number>;

/** Raw sums for one month and area, before suppression. */
interface RawRow extends Cell {
  supportRequests: number;
  adviceRequests: number;
  contacts: number;
  minutes: number;
  /** Contacts and timed advice requests: the records behind `minutes`. */
  timedRecords: number;
  themes: CodeCounts;
  contactOutcomes: CodeCounts;
  closureOutcomes: CodeCounts;
  signposting: CodeCounts;
  waiting: { count: number; median: number | null; p90: number | null };
  feedback: Map<FeedbackSource, { count: number; ratings: number }>;
}

export interface CodeCount {
  code: string;
  label: string;
  count: Suppressible;
}

export interface DemandFiguresRow extends Cell {
  supportRequests: Suppressible;
  adviceRequests: Suppressible;
  contacts: Suppressible;
  hours: Suppressible;
  themes: CodeCount[];
  contactOutcomes: CodeCount[];
  closureOutcomes: CodeCount[];
  signposting: Array<{ serviceName: string; count: Suppressible }>;
  waitingTime: { requestsAssigned: Suppressible; medianHours: Suppressible; p90Hours: Suppressible };
  feedback: {
    count: Suppressible;
    averageRating: Suppressible;
    bySource: Array<{ source: FeedbackSource; count: Suppressible; averageRating: Suppressible }>;
  };
}

export interface DemandFigures {
  scheme: Scheme;
  from: string;
  to: string;
  area: string | null;
  months: string[];
  suppressionThreshold: number;
  rows: DemandFiguresRow[];
  trainingNeeds: CodeCount[];
}

/** Scheme admins and auditors of the organisation, and the scheme's ACTIVE Lead MILOs today. */
async function readableScheme(context: RequestContext, schemeGlobalId: string): Promise<Scheme> {
  const schemeId = idOf('Scheme', schemeGlobalId, 'schemeId');
  const scheme = await context.loaders.use(schemeById).load(schemeId);
  // Another organisation's scheme is invisible under row-level security.
  if (!scheme) throw notFound('Scheme');
  if (!context.hasRole('SCHEME_ADMIN', 'AUDITOR') && !(await callerMemberships(context).isActiveLead(scheme.id))) {
    throw forbidden("Only scheme admins, auditors and the scheme's active Lead MILOs may read its demand figures");
  }
  return scheme;
}

const add = (counts: CodeCounts, key: string, count: number) => counts.set(key, (counts.get(key) ?? 0) + count);

/** A code list's counts in the taxonomy's order (codes no longer defined last, by code). */
function codeCounts(counts: CodeCounts, order: Map<string, { label: string; position: number }>): CodeCount[] {
  return [...counts.entries()]
    .map(([code, count]) => ({ code, label: order.get(code)?.label ?? code, position: order.get(code)?.position ?? Number.MAX_SAFE_INTEGER, count }))
    // Never by count: the order of two suppressed terms would tell which is larger.
    .sort((a, b) => a.position - b.position || a.code.localeCompare(b.code))
    .map(({ code, label, count }) => ({ code, label, count: suppressCount(count) }));
}

function suppressRow(row: RawRow, orders: Record<TaxonomyKind, Map<string, { label: string; position: number }>>): DemandFiguresRow {
  const sources = Object.values(FeedbackSource).map((source) => {
    const { count, ratings } = row.feedback.get(source) ?? { count: 0, ratings: 0 };
    return { source, count: suppressCount(count), averageRating: suppressStatistic(count ? ratings / count : null, count) };
  });
  const feedbackCount = [...row.feedback.values()].reduce((sum, { count }) => sum + count, 0);
  const feedbackRatings = [...row.feedback.values()].reduce((sum, { ratings }) => sum + ratings, 0);
  return {
    month: row.month,
    area: row.area,
    supportRequests: suppressCount(row.supportRequests),
    adviceRequests: suppressCount(row.adviceRequests),
    contacts: suppressCount(row.contacts),
    hours: suppressTotal(row.minutes / 60, row.timedRecords),
    themes: codeCounts(row.themes, orders.SUPPORT_THEME),
    contactOutcomes: codeCounts(row.contactOutcomes, orders.CONTACT_OUTCOME),
    closureOutcomes: codeCounts(row.closureOutcomes, orders.CLOSURE_OUTCOME),
    signposting: [...row.signposting.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en-GB'))
      .map(([serviceName, count]) => ({ serviceName, count: suppressCount(count) })),
    waitingTime: {
      requestsAssigned: suppressCount(row.waiting.count),
      medianHours: suppressStatistic(row.waiting.median, row.waiting.count),
      p90Hours: suppressStatistic(row.waiting.p90, row.waiting.count),
    },
    feedback: {
      count: suppressCount(feedbackCount),
      averageRating: suppressStatistic(feedbackCount ? feedbackRatings / feedbackCount : null, feedbackCount),
      bySource: sources,
    },
  };
}

const byMonthThenArea = (a: Cell, b: Cell) =>
  a.month.localeCompare(b.month) ||
  (a.area === UNSPECIFIED_AREA ? 1 : 0) - (b.area === UNSPECIFIED_AREA ? 1 : 0) ||
  a.area.localeCompare(b.area, 'en-GB');

export async function demandFigures(context: RequestContext, input: DemandFiguresInput): Promise<DemandFigures> {
  const problems = periodProblems(input.from, input.to);
  if (problems.length) throw badUserInput('The period is not valid', problems);
  const scheme = await readableScheme(context, input.schemeId);
  const area = input.area?.trim() || null;
  const parameters = [context.tenantId, scheme.id, input.from, input.to, area];
  const run = <T>(sql: string, values: unknown[] = parameters): Promise<T[]> => context.db.query(sql, values);

  const kinds: TaxonomyKind[] = ['SUPPORT_THEME', 'CONTACT_OUTCOME', 'CLOSURE_OUTCOME', 'TRAINING_NEED'];
  const [supportRequests, closures, contacts, advice, themes, signposting, waiting, feedback, trainingNeeds, ...terms] = await Promise.all([
    run<Cell & { count: number }>(SQL.supportRequests),
    run<Cell & { code: string; count: number }>(SQL.closures),
    run<Cell & { code: string; count: number; minutes: number }>(SQL.contacts),
    run<Cell & { count: number; minutes: number; timed: number }>(SQL.advice),
    run<Cell & { code: string; count: number }>(SQL.themes),
    run<Cell & { serviceName: string; count: number }>(SQL.signposting),
    run<Cell & { count: number; median: number | null; p90: number | null }>(SQL.waiting),
    run<Cell & { source: FeedbackSource; count: number; ratings: number }>(SQL.feedback),
    run<{ code: string; count: number }>(SQL.trainingNeeds, parameters.slice(0, 4)),
    // One statement for all four lists: the loader batches them.
    ...kinds.map((kind) => termsOf(context, kind, true)),
  ]);
  const orders = Object.fromEntries(
    kinds.map((kind, index) => [kind, new Map(terms[index].map((term, position) => [term.code, { label: term.label, position }]))]),
  ) as Record<TaxonomyKind, Map<string, { label: string; position: number }>>;

  const rows = new Map<string, RawRow>();
  const rowOf = ({ month, area: rowArea }: Cell): RawRow => {
    const key = `${month}\u0000${rowArea}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        month,
        area: rowArea,
        supportRequests: 0,
        adviceRequests: 0,
        contacts: 0,
        minutes: 0,
        timedRecords: 0,
        themes: new Map(),
        contactOutcomes: new Map(),
        closureOutcomes: new Map(),
        signposting: new Map(),
        waiting: { count: 0, median: null, p90: null },
        feedback: new Map(),
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const cell of supportRequests) rowOf(cell).supportRequests += cell.count;
  for (const cell of closures) add(rowOf(cell).closureOutcomes, cell.code, cell.count);
  for (const cell of contacts) {
    const row = rowOf(cell);
    row.contacts += cell.count;
    row.minutes += cell.minutes;
    row.timedRecords += cell.count;
    add(row.contactOutcomes, cell.code, cell.count);
  }
  for (const cell of advice) {
    const row = rowOf(cell);
    row.adviceRequests += cell.count;
    row.minutes += cell.minutes;
    row.timedRecords += cell.timed;
  }
  for (const cell of themes) add(rowOf(cell).themes, cell.code, cell.count);
  for (const cell of signposting) add(rowOf(cell).signposting, cell.serviceName, cell.count);
  for (const cell of waiting) {
    rowOf(cell).waiting = { count: cell.count, median: cell.median === null ? null : Number(cell.median), p90: cell.p90 === null ? null : Number(cell.p90) };
  }
  for (const cell of feedback) rowOf(cell).feedback.set(cell.source, { count: cell.count, ratings: cell.ratings });

  return {
    scheme,
    from: input.from,
    to: input.to,
    area,
    months: monthsOf(input.from, input.to),
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    rows: [...rows.values()].sort(byMonthThenArea).map((row) => suppressRow(row, orders)),
    trainingNeeds: codeCounts(new Map(trainingNeeds.map(({ code, count }) => [code, count])), orders.TRAINING_NEED),
  };
}
