import type { PlatformModule } from '../module';
import { FeedbackInvitation } from './feedback-invitation.entity';
import { Feedback } from './feedback.entity';
import { feedbackRoutes } from './feedback.http';
import { FeedbackResolver, SupportRequestFeedbackResolver } from './feedback.resolver';
import { feedbackPermissions } from './feedback.rules';
import { findFeedback } from './feedback.service';

export { Feedback };
export { FeedbackSource } from './feedback.entity';
export { removeFeedbackComments } from './feedback-retention';

export const feedbackModule: PlatformModule = {
  name: 'feedback',
  entities: [Feedback, FeedbackInvitation],
  resolvers: [FeedbackResolver, SupportRequestFeedbackResolver],
  permissions: feedbackPermissions,
  nodeTypes: [{ typeName: 'Feedback', entity: Feedback, load: findFeedback }],
  httpRoutes: feedbackRoutes,
};
