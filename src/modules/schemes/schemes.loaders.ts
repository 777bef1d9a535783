import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, oneByKey } from '../../platform/graphql/batch';
import { Scheme } from './scheme.entity';

export const schemeById: LoaderFactory<string, Scheme | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.db.getRepository(Scheme).findBy({ tenantId: context.tenantId, id: In([...ids]) });
    return oneByKey(ids, rows, (row) => row.id);
  });

/** Schemes per organisation; row-level security limits this to the caller's own. */
export const schemesByOrganisationId: LoaderFactory<string, Scheme[]> = (context) =>
  new DataLoader(async (organisationIds) => {
    const rows = await context.db.getRepository(Scheme).find({
      where: { tenantId: In([...organisationIds]) },
      order: { name: 'ASC' },
    });
    return manyByKey(organisationIds, rows, (row) => row.tenantId);
  });
