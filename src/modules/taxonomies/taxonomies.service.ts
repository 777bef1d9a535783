import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { badUserInput, notFound, type FieldProblem } from '../../platform/errors';
import { manyByKey } from '../../platform/graphql/batch';
import { idOf } from '../../platform/graphql/global-id';
import type { TaxonomyKind } from './taxonomy-kind';
import { TaxonomyTerm } from './taxonomy-term.entity';
import type { DefineTaxonomyTermInput, UpdateTaxonomyTermInput } from './taxonomies.types';

/** Every term of a taxonomy in the caller's organisation, retired ones too, in display order. */
export const termsByTaxonomy: LoaderFactory<TaxonomyKind, TaxonomyTerm[]> = (context) =>
  new DataLoader(async (kinds) => {
    const rows = await context.db.getRepository(TaxonomyTerm).find({
      where: { tenantId: context.tenantId, taxonomy: In([...kinds]) },
      order: { position: 'ASC', code: 'ASC' },
    });
    return manyByKey(kinds, rows, (row) => row.taxonomy);
  });

export async function termsOf(context: RequestContext, taxonomy: TaxonomyKind, includeRetired = false): Promise<TaxonomyTerm[]> {
  const terms = await context.loaders.use(termsByTaxonomy).load(taxonomy);
  return includeRetired ? terms : terms.filter((term) => term.active);
}

/**
 * Problems with codes a caller chose from a taxonomy: each must be one of the organisation's
 * active terms. Services collect these with their other problems and refuse once.
 */
export async function problemsWithCodes(
  context: RequestContext,
  taxonomy: TaxonomyKind,
  codes: readonly string[],
  field: string,
): Promise<FieldProblem[]> {
  const active = new Set((await termsOf(context, taxonomy)).map((term) => term.code));
  const problems: FieldProblem[] = [];
  codes.forEach((code, index) => {
    if (!active.has(code)) problems.push({ field: `${field}[${index}]`, message: `"${code}" is not an active ${taxonomy} term of your organisation` });
  });
  if (new Set(codes).size !== codes.length) problems.push({ field, message: 'A code is given twice' });
  return problems;
}

/** Labels for codes (retired terms included), for reports; unknown codes read as themselves. */
export async function labelsOf(context: RequestContext, taxonomy: TaxonomyKind): Promise<Map<string, string>> {
  return new Map((await termsOf(context, taxonomy, true)).map((term) => [term.code, term.label]));
}

export async function findTaxonomyTerm(context: RequestContext, id: string): Promise<TaxonomyTerm | null> {
  return context.db.getRepository(TaxonomyTerm).findOneBy({ tenantId: context.tenantId, id });
}

export async function defineTerm(context: RequestContext, input: DefineTaxonomyTermInput): Promise<TaxonomyTerm> {
  const repository = context.db.getRepository(TaxonomyTerm);
  const existing = await repository.findOneBy({ tenantId: context.tenantId, taxonomy: input.taxonomy, code: input.code });
  if (existing) throw badUserInput(`${input.taxonomy} already has the code ${input.code}`, [{ field: 'code', message: 'Already defined; update it instead' }]);
  const id = randomUUID();
  await repository.insert({
    tenantId: context.tenantId,
    id,
    taxonomy: input.taxonomy,
    code: input.code,
    label: input.label.trim(),
    description: input.description?.trim() || null,
    position: input.position ?? 0,
    active: true,
  });
  await recordAudit(context, { action: 'TAXONOMY_TERM_DEFINED', entityType: 'TaxonomyTerm', entityId: id, details: { taxonomy: input.taxonomy, code: input.code, label: input.label } });
  context.loaders.use(termsByTaxonomy).clear(input.taxonomy);
  return (await repository.findOneBy({ tenantId: context.tenantId, id })) as TaxonomyTerm;
}

export async function updateTerm(context: RequestContext, input: UpdateTaxonomyTermInput): Promise<TaxonomyTerm> {
  const id = idOf('TaxonomyTerm', input.id);
  const repository = context.db.getRepository(TaxonomyTerm);
  const before = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!before) throw notFound('Taxonomy term');
  const changes: Partial<TaxonomyTerm> = {};
  if (input.label != null) changes.label = input.label.trim();
  if (input.description !== undefined) changes.description = input.description?.trim() || null;
  if (input.position != null) changes.position = input.position;
  if (input.active != null) changes.active = input.active;
  if (!Object.keys(changes).length) throw badUserInput('Nothing to change');
  await repository.update({ tenantId: context.tenantId, id }, changes);
  await recordAudit(context, {
    action: 'TAXONOMY_TERM_UPDATED',
    entityType: 'TaxonomyTerm',
    entityId: id,
    details: { taxonomy: before.taxonomy, code: before.code, before: { label: before.label, position: before.position, active: before.active }, changes },
  });
  context.loaders.use(termsByTaxonomy).clear(before.taxonomy);
  return (await repository.findOneBy({ tenantId: context.tenantId, id })) as TaxonomyTerm;
}
