import type { Client } from 'pg';
import { asTenant } from './platform';

/*
 * Care plans and agreements arranged behind the API's back (as the schema owner, in the
 * owner's tenant context) for the partner tests: plans of throwaway owners, or of police with
 * throwaway partners on their teams, so no test changes what another file reads of the
 * seeded plans and agreements.
 */

export interface RuleSpec {
  resource: 'CARE_PLAN' | 'CARE_PLAN_INPUT' | 'REFERRAL' | 'SIGNPOSTING_SERVICE';
  actions: Array<'READ' | 'CONTRIBUTE'>;
  fieldScope?: string[];
  conditions?: Record<string, boolean>;
}

export interface AgreementSpec {
  status?: 'DRAFT' | 'ACTIVE' | 'REVOKED';
  validFrom?: string;
  validTo?: string | null;
  purpose?: string;
  rules: RuleSpec[];
}

/** An agreement of `ownerId` with `partnerId` and its rules, straight into the tables. */
export async function insertAgreement(owner: Client, ownerId: string, partnerId: string, spec: AgreementSpec): Promise<{ id: string; ruleIds: string[] }> {
  const status = spec.status ?? 'ACTIVE';
  return asTenant(owner, ownerId, async () => {
    const { rows } = await owner.query(
      `insert into data_sharing_agreement (tenant_id, partner_organisation_id, title, purpose, lawful_basis, valid_from, valid_to, status, revoked_at)
       values ($1, $2, $3, $4, 'Test basis', $5, $6, $7, $8) returning id`,
      [
        ownerId,
        partnerId,
        `Care plans ${Math.random().toString(36).slice(2, 8)}`,
        spec.purpose ?? 'Testing shared care plans',
        spec.validFrom ?? '2025-01-01',
        spec.validTo ?? null,
        status,
        status === 'REVOKED' ? new Date() : null,
      ],
    );
    const id: string = rows[0].id;
    const ruleIds: string[] = [];
    for (const rule of spec.rules) {
      const inserted = await owner.query(
        `insert into access_rule (tenant_id, agreement_id, partner_organisation_id, resource, actions, field_scope, conditions)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [ownerId, id, partnerId, rule.resource, rule.actions, rule.fieldScope ?? [], JSON.stringify(rule.conditions ?? {})],
      );
      ruleIds.push(inserted.rows[0].id);
    }
    return { id, ruleIds };
  });
}

export interface PlanSpec {
  reference?: string;
  status?: 'DRAFT' | 'ACTIVE' | 'UNDER_REVIEW' | 'CLOSED';
  consent?: 'GIVEN' | 'REFUSED' | 'WITHDRAWN' | null;
  reviewDueOn?: string | null;
  /** Organisations on the care team besides the owner (the owner is always on it). */
  team?: string[];
  sections?: Partial<Record<'presentationAndTriggers' | 'whatHelps' | 'whatToAvoid' | 'agreedResponse' | 'contacts', string>>;
  inputs?: Array<{ visibility: 'SHARED' | 'INTERNAL'; kind?: 'MILO' | 'PARTNER' | 'CARER'; authorOrganisationId?: string; body?: string }>;
  subject?: string | null;
  /** A person of the owner who writes a police-only note. */
  noteAuthorId?: string;
}

export interface ArrangedPlan {
  id: string;
  reference: string;
  inputIds: string[];
  teamMemberIds: string[];
  subjectId: string | null;
  noteId: string | null;
}

const COLUMN = {
  presentationAndTriggers: 'presentation_and_triggers',
  whatHelps: 'what_helps',
  whatToAvoid: 'what_to_avoid',
  agreedResponse: 'agreed_response',
  contacts: 'contacts',
} as const;

/** A plan of `ownerId` with its team, inputs, subject and note, straight into the tables. */
export async function insertPlan(owner: Client, ownerId: string, spec: PlanSpec = {}): Promise<ArrangedPlan> {
  const reference = spec.reference ?? `CP-T-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const status = spec.status ?? 'ACTIVE';
  const sections = {
    presentationAndTriggers: 'Presentation (test)',
    whatHelps: 'What helps (test)',
    whatToAvoid: 'What to avoid (test)',
    agreedResponse: 'Agreed response (test)',
    contacts: 'Contacts (test)',
    ...spec.sections,
  };
  return asTenant(owner, ownerId, async () => {
    const columns = Object.keys(sections).map((key) => COLUMN[key as keyof typeof COLUMN]);
    const values = Object.values(sections);
    const { rows } = await owner.query(
      `insert into care_plan (tenant_id, reference, status, lawful_basis, consent_status, consent_recorded_on, review_due_on, closed_at, ${columns.join(', ')})
       values ($1, $2, $3, 'Test basis', $4, $5, $6, $7, ${values.map((_, index) => `$${index + 8}`).join(', ')}) returning id`,
      [
        ownerId,
        reference,
        status,
        spec.consent ?? 'NOT_RECORDED',
        spec.consent ? '2026-01-10' : null,
        spec.reviewDueOn ?? null,
        status === 'CLOSED' ? new Date() : null,
        ...values,
      ],
    );
    const id: string = rows[0].id;
    const teamMemberIds: string[] = [];
    for (const organisationId of [ownerId, ...(spec.team ?? [])]) {
      const member = await owner.query(
        `insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, display_name, role) values ($1, $2, $3, 'Team member (test)', 'Test role') returning id`,
        [ownerId, id, organisationId],
      );
      teamMemberIds.push(member.rows[0].id);
    }
    const inputIds: string[] = [];
    for (const input of spec.inputs ?? []) {
      const kind = input.kind ?? 'MILO';
      const inserted = await owner.query(
        `insert into care_plan_input (tenant_id, care_plan_id, author_organisation_id, author_name, kind, carer_relationship, body, visibility)
         values ($1, $2, $3, 'Author (test)', $4, $5, $6, $7) returning id`,
        [ownerId, id, input.authorOrganisationId ?? ownerId, kind, kind === 'CARER' ? 'Mother' : null, input.body ?? `${input.visibility} input (test)`, input.visibility],
      );
      inputIds.push(inserted.rows[0].id);
    }
    let subjectId: string | null = null;
    if (spec.subject !== null) {
      const subject = await owner.query(`insert into care_plan_subject (tenant_id, care_plan_id, display_name) values ($1, $2, $3) returning id`, [
        ownerId,
        id,
        spec.subject ?? 'Subject (test)',
      ]);
      subjectId = subject.rows[0].id;
    }
    let noteId: string | null = null;
    if (spec.noteAuthorId) {
      const note = await owner.query(
        `insert into care_plan_internal_note (tenant_id, care_plan_id, body, author_person_id) values ($1, $2, 'Police only (test)', $3) returning id`,
        [ownerId, id, spec.noteAuthorId],
      );
      noteId = note.rows[0].id;
    }
    return { id, reference, inputIds, teamMemberIds, subjectId, noteId };
  });
}

/** The id of a person of an organisation, by token subject. */
export async function personIdOf(owner: Client, tenantId: string, subject: string): Promise<string> {
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select id from person where subject = $1`, [subject]));
  if (!rows.length) throw new Error(`No person ${subject}`);
  return rows[0].id;
}

/** Audit events of an owner's log, oldest first, as the schema owner reads them. */
export async function auditEventsOf(
  owner: Client,
  ownerId: string,
  where: { action?: string; entityId?: string; actorOrganisationId?: string; outcome?: 'ALLOWED' | 'DENIED'; since?: Date } = {},
): Promise<Array<Record<string, any>>> {
  const { rows } = await asTenant(owner, ownerId, () =>
    owner.query(
      `select action, entity_type, entity_id, actor_organisation_id, actor_person_id, actor_subject, purpose, outcome, details, occurred_at
         from audit_event
        where ($1::text is null or action = $1)
          and ($2::uuid is null or entity_id = $2 or details -> 'ids' @> jsonb_build_array($2::text))
          and ($3::uuid is null or actor_organisation_id = $3)
          and ($4::text is null or outcome = $4)
          and ($5::timestamptz is null or occurred_at >= $5)
        order by occurred_at, id`,
      [where.action ?? null, where.entityId ?? null, where.actorOrganisationId ?? null, where.outcome ?? null, where.since ?? null],
    ),
  );
  return rows;
}

/** The database's clock: events after it were written by what a test did next. */
export async function databaseNow(owner: Client): Promise<Date> {
  const { rows } = await owner.query(`select clock_timestamp() as now`);
  return rows[0].now;
}
