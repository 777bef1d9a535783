import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { config } from '../../platform/config';
import type { HttpRouteDependencies } from '../../platform/http/routes';
import { readFeedbackAnswer } from './feedback-answer';
import { FeedbackLinkRefusal, answerFeedbackLink, feedbackForm } from './feedback-link.service';
import { parseFeedbackToken } from './feedback-token';

/*
 * The public feedback form, for the person supported: no account, no Authorization header.
 *   GET  /feedback/<token>  → 200 { organisationName, themes: [{ code, label }], expiresAt, … }
 *   POST /feedback/<token>  { rating, themeCodes?, comment? } → 201 { received: true }
 * Refusals are JSON { errors: [{ message, extensions: { code, … } }] }: see feedback-link.service.ts.
 * The token is a secret: it is never logged (the server logs the path as /feedback/:token).
 */

function refuse(res: Response, refusal: FeedbackLinkRefusal): void {
  res.status(refusal.status).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.extensions } }] });
}

/** A link is a bearer secret: nobody caches the form, and the browser sends no Referer from it. */
function privateAnswer(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
}

export function feedbackRoutes(router: Router, { dataSource }: HttpRouteDependencies): void {
  const json = express.json({ limit: config().bodyLimit });

  router.get('/feedback/:token', async (req: Request, res: Response, next: NextFunction) => {
    privateAnswer(res);
    try {
      const token = parseFeedbackToken(req.params.token);
      if (!token) return refuse(res, new FeedbackLinkRefusal(404, 'NOT_FOUND', 'This feedback link is not valid'));
      res.json(await feedbackForm(dataSource, token));
    } catch (error) {
      if (error instanceof FeedbackLinkRefusal) {
        req.log.info({ outcome: error.code }, 'feedback form refused');
        return refuse(res, error);
      }
      next(error);
    }
  });

  router.post('/feedback/:token', json, async (req: Request, res: Response, next: NextFunction) => {
    privateAnswer(res);
    try {
      const token = parseFeedbackToken(req.params.token);
      if (!token) return refuse(res, new FeedbackLinkRefusal(404, 'NOT_FOUND', 'This feedback link is not valid'));
      const { answer, problems } = readFeedbackAnswer(req.body);
      if (!answer) return refuse(res, new FeedbackLinkRefusal(400, 'BAD_USER_INPUT', 'The answer is not valid', { problems }));
      await answerFeedbackLink(dataSource, token, answer);
      req.log.info({ organisationId: token.organisationId }, 'feedback received through a one-time link');
      res.status(201).json({ received: true });
    } catch (error) {
      if (error instanceof FeedbackLinkRefusal) {
        req.log.info({ outcome: error.code }, 'feedback answer refused');
        return refuse(res, error);
      }
      next(error);
    }
  });
}
