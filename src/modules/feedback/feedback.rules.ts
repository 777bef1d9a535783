import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { type ModulePermissions } from '../../platform/graphql/permissions';
import { callerMemberships } from '../milos';

/**
 * The shallow check: only scheme members (MILOs, Lead MILOs) ever give feedback or send links.
 * The service then checks the request: its assigned MILO, or a Lead of its scheme today.
 */
const isSchemeMember = rule('isSchemeMember', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  (await callerMemberships(context).all()).length > 0 ? true : forbidden('Only MILOs and Lead MILOs give feedback on cases'),
);

export const feedbackPermissions: ModulePermissions = {
  Mutation: {
    giveCaseFeedback: isSchemeMember,
    createFeedbackLink: isSchemeMember,
  },
};
