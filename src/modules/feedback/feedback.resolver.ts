import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { MiloType } from '../milos';
import { SupportRequestType, type SupportRequest } from '../support';
import type { Feedback } from './feedback.entity';
import { createFeedbackLink, feedbackOf, giveCaseFeedback, miloOf } from './feedback.service';
import { CreateFeedbackLinkInput, CreateFeedbackLinkPayload, FeedbackType, GiveCaseFeedbackInput, GiveCaseFeedbackPayload } from './feedback.types';

@Resolver(() => FeedbackType)
export class FeedbackResolver {
  @Mutation(() => GiveCaseFeedbackPayload, {
    description:
      'The assigned MILO rates a closed request, names its themes and the training that would have helped (once per MILO: CONFLICT after that; BAD_USER_INPUT before the request is closed).',
  })
  giveCaseFeedback(@Arg('input') input: GiveCaseFeedbackInput, @Ctx() context: RequestContext) {
    return giveCaseFeedback(context, input);
  }

  @Mutation(() => CreateFeedbackLinkPayload, {
    description:
      "A one-time link for the person supported to give feedback anonymously, without an account (the request's MILO or the scheme's active Lead MILOs, on a closed request). The token is returned once and never stored.",
  })
  createFeedbackLink(@Arg('input') input: CreateFeedbackLinkInput, @Ctx() context: RequestContext) {
    return createFeedbackLink(context, input);
  }

  @FieldResolver(() => MiloType, { nullable: true, description: 'The MILO who gave it; null for the person supported, who stays anonymous.' })
  milo(@Root() feedback: Feedback, @Ctx() context: RequestContext) {
    return miloOf(context, feedback);
  }
}

@Resolver(() => SupportRequestType)
export class SupportRequestFeedbackResolver {
  @FieldResolver(() => [FeedbackType], {
    description: "Feedback on the request, oldest first (the request's MILO and the scheme's active Lead MILOs; FORBIDDEN for anyone else).",
  })
  feedback(@Root() request: SupportRequest, @Ctx() context: RequestContext) {
    return feedbackOf(context, request);
  }
}
