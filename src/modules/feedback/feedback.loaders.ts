import { rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { Feedback } from './feedback.entity';

export const feedbackById = tenantRowsById(Feedback);

/** Each request's feedback, oldest first: the MILO's, then the person's, usually. */
export const feedbackBySupportRequestId = rowsByParent(Feedback, 'supportRequestId', { order: { createdAt: 'ASC', id: 'ASC' } });
