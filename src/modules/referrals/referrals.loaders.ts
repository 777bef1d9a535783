import { rowsByParent, visibleRowsById } from '../../platform/graphql/batch';
import { Referral } from './referral.entity';

/**
 * Referrals by id as row-level security shows them: the caller's organisation's own, and
 * those sent to it while the sender's agreement grants READ (policy partner_read). No tenant
 * filter on purpose; the service then explains each row by a rule.
 */
export const referralById = visibleRowsById(Referral);

/** A support request's referrals (the referring organisation's own), oldest first. */
export const referralsBySupportRequestId = rowsByParent(Referral, 'supportRequestId', { order: { createdAt: 'ASC', id: 'ASC' } });

/** The referring organisation's support requests, to decide who may follow a referral. */
export { supportRequestById } from '../support';
