import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context';
import { recordAudit } from '../../platform/audit';
import { badUserInput, conflict, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import type { IsoDate } from '../../platform/calendar';
import type { SchemeRoleCode } from './scheme-role';
import { Scheme, type SchemeStatus } from './scheme.entity';
import { SchemeRoleDefinition } from './scheme-role.entity';
import type {
  CreateSchemeInput,
  PublishTermsOfReferenceInput,
  SchemeRoleDefinitionType,
  UpdateSchemeInput,
  UpdateSchemeRoleInput,
} from './scheme.types';
import { TermsOfReference } from './terms-of-reference.entity';
import { schemeById, schemeRolesBySchemeId, schemesByOrganisationId, termsOfReferenceById, termsOfReferenceBySchemeId } from './schemes.loaders';

/** The roles every scheme has, in the order they are listed. */
export const SCHEME_ROLE_CODES: readonly SchemeRoleCode[] = ['MILO', 'LEAD_MILO'];

/** What a new scheme calls its roles until an admin says otherwise. */
export const DEFAULT_ROLE_DEFINITIONS: Record<SchemeRoleCode, { title: string; description: string }> = {
  MILO: {
    title: 'MILO',
    description:
      'Mental Ill-health Liaison Officer: gives colleagues initial support and signposting, and advises colleagues dealing with members of the public in mental-health crisis. Not a counsellor or clinician.',
  },
  LEAD_MILO: {
    title: 'Lead MILO',
    description: 'Triages and assigns the daily workload, supervises a team of MILOs and keeps their training in date.',
  },
};

/**
 * Which status a scheme may move to. DRAFT is where a scheme starts, so nothing returns to
 * it; a CLOSED scheme may be reopened.
 */
const STATUS_MOVES: Record<SchemeStatus, readonly SchemeStatus[]> = {
  DRAFT: ['ACTIVE', 'CLOSED'],
  ACTIVE: ['CLOSED'],
  CLOSED: ['ACTIVE'],
};

// ---------------------------------------------------------------------------------------
// Reading: any member of the organisation. Loaders filter on the caller's tenant (and
// row-level security again), so another organisation's ids read as null.

export function findScheme(context: RequestContext, id: string): Promise<Scheme | null> {
  return context.loaders.use(schemeById).load(id);
}

export async function schemesOf(context: RequestContext, organisationId: string): Promise<Scheme[]> {
  if (organisationId !== context.tenantId) return [];
  return context.loaders.use(schemesByOrganisationId).load(organisationId);
}

/** Both roles of a scheme, with the defaults for any the scheme has not configured. */
export async function rolesOf(context: RequestContext, scheme: Scheme): Promise<SchemeRoleDefinitionType[]> {
  const rows = await context.loaders.use(schemeRolesBySchemeId).load(scheme.id);
  return SCHEME_ROLE_CODES.map((code) => {
    const row = rows.find((candidate) => candidate.code === code);
    return row
      ? { role: code, title: row.title, description: row.description }
      : { role: code, title: DEFAULT_ROLE_DEFINITIONS[code].title, description: DEFAULT_ROLE_DEFINITIONS[code].description };
  });
}

/** Every version, newest first. */
export function termsOfReferenceVersionsOf(context: RequestContext, scheme: Scheme): Promise<TermsOfReference[]> {
  return context.loaders.use(termsOfReferenceBySchemeId).load(scheme.id);
}

/** The version in force on a date: the highest version effective on or before it. */
export function versionInForce(versions: readonly TermsOfReference[], asOf: IsoDate): TermsOfReference | null {
  let found: TermsOfReference | null = null;
  for (const version of versions) {
    if (version.effectiveFrom <= asOf && (!found || version.version > found.version)) found = version;
  }
  return found;
}

/** The terms of reference in force on asOf (today in the UK when omitted). */
export async function termsOfReferenceOf(context: RequestContext, scheme: Scheme, asOf?: IsoDate | null): Promise<TermsOfReference | null> {
  return versionInForce(await termsOfReferenceVersionsOf(context, scheme), asOf ?? context.today);
}

export function findTermsOfReference(context: RequestContext, id: string): Promise<TermsOfReference | null> {
  return context.loaders.use(termsOfReferenceById).load(id);
}

// ---------------------------------------------------------------------------------------
// Configuring: scheme admins of the organisation; every change is audited in the same
// transaction, so the change and its audit event commit or roll back together.

/** The caller's scheme named by a global ID; another organisation's reads as not found. */
async function requireScheme(context: RequestContext, globalId: string, field: string): Promise<Scheme> {
  const id = idOf('Scheme', globalId, field);
  const scheme = await context.db.getRepository(Scheme).findOneBy({ tenantId: context.tenantId, id });
  if (!scheme) throw notFound('Scheme');
  return scheme;
}

async function reloadScheme(context: RequestContext, id: string): Promise<Scheme> {
  const scheme = (await context.db.getRepository(Scheme).findOneBy({ tenantId: context.tenantId, id })) as Scheme;
  context.loaders.use(schemeById).clear(id).prime(id, scheme);
  return scheme;
}

export async function createScheme(context: RequestContext, input: CreateSchemeInput): Promise<Scheme> {
  const id = randomUUID();
  await context.db.getRepository(Scheme).insert({
    tenantId: context.tenantId,
    id,
    name: input.name.trim(),
    purpose: input.purpose.trim(),
    roleBoundaries: input.roleBoundaries?.trim() || null,
    status: 'DRAFT',
  });
  await context.db.getRepository(SchemeRoleDefinition).insert(
    SCHEME_ROLE_CODES.map((code) => ({ tenantId: context.tenantId, id: randomUUID(), schemeId: id, code, ...DEFAULT_ROLE_DEFINITIONS[code] })),
  );
  const scheme = await reloadScheme(context, id);
  await recordAudit(context, { action: 'SCHEME_CREATED', entityType: 'Scheme', entityId: id, details: { name: scheme.name, status: scheme.status } });
  return scheme;
}

type SchemeChanges = Partial<
  Pick<Scheme, 'name' | 'purpose' | 'roleBoundaries' | 'status' | 'supportTargetHours' | 'freeTextRetentionDays' | 'crisisGuidance'>
>;

export async function updateScheme(context: RequestContext, input: UpdateSchemeInput): Promise<Scheme> {
  const scheme = await requireScheme(context, input.id, 'id');
  const required = (['name', 'purpose', 'status', 'supportTargetHours', 'freeTextRetentionDays'] as const).filter((field) => input[field] === null);
  if (required.length > 0) {
    throw badUserInput('These fields cannot be cleared', required.map((field) => ({ field, message: `${field} cannot be null` })));
  }
  if (input.status && input.status !== scheme.status && !STATUS_MOVES[scheme.status].includes(input.status)) {
    throw badUserInput(`A ${scheme.status} scheme cannot become ${input.status}`, [
      { field: 'status', message: `Allowed from ${scheme.status}: ${STATUS_MOVES[scheme.status].join(', ') || 'none'}` },
    ]);
  }
  const wanted: SchemeChanges = {};
  if (input.name != null) wanted.name = input.name.trim();
  if (input.purpose != null) wanted.purpose = input.purpose.trim();
  if (input.roleBoundaries !== undefined) wanted.roleBoundaries = input.roleBoundaries?.trim() || null;
  if (input.status != null) wanted.status = input.status;
  if (input.supportTargetHours != null) wanted.supportTargetHours = input.supportTargetHours;
  if (input.freeTextRetentionDays != null) wanted.freeTextRetentionDays = input.freeTextRetentionDays;
  if (input.crisisGuidance !== undefined) wanted.crisisGuidance = input.crisisGuidance?.trim() || null;
  const changes: SchemeChanges = {};
  const audited: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(wanted) as [keyof SchemeChanges, string | number | null][]) {
    if (scheme[field] === value) continue;
    (changes as Record<string, unknown>)[field] = value;
    audited[field] = { from: scheme[field], to: value };
  }
  if (Object.keys(changes).length === 0) return scheme;
  await context.db.getRepository(Scheme).update({ tenantId: context.tenantId, id: scheme.id }, changes);
  await recordAudit(context, { action: 'SCHEME_UPDATED', entityType: 'Scheme', entityId: scheme.id, details: { changes: audited } });
  return reloadScheme(context, scheme.id);
}

export async function updateSchemeRole(
  context: RequestContext,
  input: UpdateSchemeRoleInput,
): Promise<{ scheme: Scheme; role: SchemeRoleDefinitionType }> {
  const scheme = await requireScheme(context, input.schemeId, 'schemeId');
  const repository = context.db.getRepository(SchemeRoleDefinition);
  const title = input.title.trim();
  const description = input.description?.trim() || null;
  const existing = await repository.findOneBy({ tenantId: context.tenantId, schemeId: scheme.id, code: input.role });
  let id: string;
  if (existing) {
    id = existing.id;
    await repository.update({ tenantId: context.tenantId, id }, { title, description });
  } else {
    id = randomUUID();
    await repository.insert({ tenantId: context.tenantId, id, schemeId: scheme.id, code: input.role, title, description });
  }
  context.loaders.use(schemeRolesBySchemeId).clear(scheme.id);
  await recordAudit(context, {
    action: 'SCHEME_ROLE_UPDATED',
    entityType: 'SchemeRole',
    entityId: id,
    details: {
      schemeId: scheme.id,
      role: input.role,
      from: existing ? { title: existing.title, description: existing.description } : null,
      to: { title, description },
    },
  });
  return { scheme, role: { role: input.role, title, description } };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/**
 * Publishes the next version. Two admins publishing at once both compute the same next
 * number; the unique (tenant_id, scheme_id, version) key lets one win and the other gets
 * CONFLICT, rather than either silently renumbering.
 */
export async function publishTermsOfReference(
  context: RequestContext,
  input: PublishTermsOfReferenceInput,
): Promise<{ scheme: Scheme; termsOfReference: TermsOfReference }> {
  const scheme = await requireScheme(context, input.schemeId, 'schemeId');
  const repository = context.db.getRepository(TermsOfReference);
  const [latest] = await repository.find({ where: { tenantId: context.tenantId, schemeId: scheme.id }, order: { version: 'DESC' }, take: 1 });
  if (latest && input.effectiveFrom < latest.effectiveFrom) {
    // Back-dating before the latest version would change which version was in force on days already past.
    throw badUserInput(`effectiveFrom must not be before ${latest.effectiveFrom}, when version ${latest.version} took effect`, [
      { field: 'effectiveFrom', message: `On or after ${latest.effectiveFrom}` },
    ]);
  }
  const id = randomUUID();
  const version = (latest?.version ?? 0) + 1;
  try {
    await repository.insert({
      tenantId: context.tenantId,
      id,
      schemeId: scheme.id,
      version,
      effectiveFrom: input.effectiveFrom,
      body: input.body,
      createdBy: context.viewer.personId,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Another version of the terms of reference was published at the same time; reload and try again');
    throw error;
  }
  await recordAudit(context, {
    action: 'TERMS_OF_REFERENCE_PUBLISHED',
    entityType: 'TermsOfReference',
    entityId: id,
    details: { schemeId: scheme.id, version, effectiveFrom: input.effectiveFrom, characters: input.body.length },
  });
  context.loaders.use(termsOfReferenceBySchemeId).clear(scheme.id);
  const termsOfReference = (await repository.findOneBy({ tenantId: context.tenantId, id })) as TermsOfReference;
  return { scheme, termsOfReference };
}
