import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { oneByKey } from '../../platform/graphql/batch';
import { Organisation } from './organisation.entity';

/** Organisations by id: the registry is global, so any caller may resolve a name. */
export const organisationById: LoaderFactory<string, Organisation | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.db.getRepository(Organisation).findBy({ id: In([...ids]) });
    return oneByKey(ids, rows, (row) => row.id);
  });
