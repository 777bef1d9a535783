import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, tenantRowsById } from '../../platform/graphql/batch';
import { Scheme } from './scheme.entity';
import { SchemeRoleDefinition } from './scheme-role.entity';
import { TermsOfReference } from './terms-of-reference.entity';

export const schemeById = tenantRowsById(Scheme);

/** Schemes per organisation; row-level security limits this to the caller's own. */
export const schemesByOrganisationId: LoaderFactory<string, Scheme[]> = (context) =>
  new DataLoader(async (organisationIds) => {
    const rows = await context.db.getRepository(Scheme).find({
      where: { tenantId: In([...organisationIds]) },
      order: { name: 'ASC' },
    });
    return manyByKey(organisationIds, rows, (row) => row.tenantId);
  });

/** The role rows of each scheme (at most one per role). */
export const schemeRolesBySchemeId: LoaderFactory<string, SchemeRoleDefinition[]> = (context) =>
  new DataLoader(async (schemeIds) => {
    const rows = await context.db
      .getRepository(SchemeRoleDefinition)
      .findBy({ tenantId: context.tenantId, schemeId: In([...schemeIds]) });
    return manyByKey(schemeIds, rows, (row) => row.schemeId);
  });

/** Every terms-of-reference version of each scheme, newest first. */
export const termsOfReferenceBySchemeId: LoaderFactory<string, TermsOfReference[]> = (context) =>
  new DataLoader(async (schemeIds) => {
    const rows = await context.db.getRepository(TermsOfReference).find({
      where: { tenantId: context.tenantId, schemeId: In([...schemeIds]) },
      order: { version: 'DESC' },
    });
    return manyByKey(schemeIds, rows, (row) => row.schemeId);
  });

export const termsOfReferenceById = tenantRowsById(TermsOfReference);
