import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, oneByKey } from '../../platform/graphql/batch';
import { Referral } from './referral.entity';

/**
 * Referrals by id as row-level security shows them: the caller's organisation's own, and
 * those sent to it while the sender's agreement grants READ (policy partner_read). No tenant
 * filter on purpose; the service then explains each row by a rule.
 */
export const referralById: LoaderFactory<string, Referral | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.db.getRepository(Referral).findBy({ id: In([...ids]) });
    return oneByKey(ids, rows, (row) => row.id);
  });

/** A support request's referrals (the referring organisation's own), oldest first. */
export const referralsBySupportRequestId: LoaderFactory<string, Referral[]> = (context) =>
  new DataLoader(async (requestIds) => {
    const rows = await context.db.getRepository(Referral).find({
      where: { tenantId: context.tenantId, supportRequestId: In([...requestIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return manyByKey(requestIds, rows, (row) => row.supportRequestId);
  });

/** The referring organisation's support requests, to decide who may follow a referral. */
export { supportRequestById } from '../support/support.loaders';
