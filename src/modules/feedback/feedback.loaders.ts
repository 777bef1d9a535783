import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, tenantRowsById } from '../../platform/graphql/batch';
import { Feedback } from './feedback.entity';

export const feedbackById = tenantRowsById(Feedback);

/** Each request's feedback, oldest first: the MILO's, then the person's, usually. */
export const feedbackBySupportRequestId: LoaderFactory<string, Feedback[]> = (context) =>
  new DataLoader(async (requestIds) => {
    const rows = await context.db.getRepository(Feedback).find({
      where: { tenantId: context.tenantId, supportRequestId: In([...requestIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return manyByKey(requestIds, rows, (row) => row.supportRequestId);
  });
