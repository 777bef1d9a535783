import type { FieldProblem } from '../../platform/errors';

/*
 * What the person supported may send through a one-time link, checked before anything is
 * looked up. The form is anonymous: only these three fields are accepted, so nothing that
 * could name the sender (a name, an email, a "from") is ever stored by accident.
 */

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Same limit as the database (feedback.comment) and as a MILO's own feedback. */
export const COMMENT_MAX_LENGTH = 2000;
export const THEMES_MAX = 10;

const FIELDS = new Set(['rating', 'themeCodes', 'comment']);
const CODE = /^[A-Z][A-Z0-9_]{0,49}$/;

export interface FeedbackAnswer {
  rating: number;
  themeCodes: string[];
  /** Stored as given (SQL or HTML in it is data); null when absent or blank. */
  comment: string | null;
}

export type ReadAnswer = { answer: FeedbackAnswer; problems?: undefined } | { answer?: undefined; problems: FieldProblem[] };

/** Characters as PostgreSQL counts them (code points), not UTF-16 units. */
export const characters = (text: string) => [...text].length;

/** Problems with a rating: a whole number from 1 to 5. */
export function ratingProblems(rating: unknown, field = 'rating'): FieldProblem[] {
  if (rating === undefined || rating === null) return [{ field, message: 'A rating is required' }];
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < RATING_MIN || rating > RATING_MAX) {
    return [{ field, message: `The rating must be a whole number from ${RATING_MIN} to ${RATING_MAX}` }];
  }
  return [];
}

/** Reads the body of POST /feedback/<token>: the answer, or every problem with it at once. */
export function readFeedbackAnswer(body: unknown): ReadAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [{ field: 'body', message: 'Send a JSON object with rating, themeCodes and comment' }] };
  }
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) problems.push({ field: key.slice(0, 50), message: 'Not accepted: only rating, themeCodes and comment are' });
  }
  problems.push(...ratingProblems(input.rating));

  let themeCodes: string[] = [];
  const themes = input.themeCodes;
  if (themes !== undefined && themes !== null) {
    if (!Array.isArray(themes)) {
      problems.push({ field: 'themeCodes', message: 'Must be a list of theme codes' });
    } else if (themes.length > THEMES_MAX) {
      problems.push({ field: 'themeCodes', message: `At most ${THEMES_MAX} themes` });
    } else {
      themes.forEach((code, index) => {
        if (typeof code !== 'string' || !CODE.test(code)) problems.push({ field: `themeCodes[${index}]`, message: 'Not a theme code' });
      });
      if (new Set(themes).size !== themes.length) problems.push({ field: 'themeCodes', message: 'A code is given twice' });
      themeCodes = themes as string[];
    }
  }

  let comment: string | null = null;
  if (input.comment !== undefined && input.comment !== null) {
    if (typeof input.comment !== 'string') {
      problems.push({ field: 'comment', message: 'Must be text' });
    } else if (characters(input.comment) > COMMENT_MAX_LENGTH) {
      problems.push({ field: 'comment', message: `The comment must be at most ${COMMENT_MAX_LENGTH} characters` });
    } else if (input.comment.includes('\u0000')) {
      problems.push({ field: 'comment', message: 'The comment must not contain NUL characters' });
    } else {
      comment = /\S/.test(input.comment) ? input.comment : null;
    }
  }

  if (problems.length) return { problems };
  return { answer: { rating: input.rating as number, themeCodes, comment } };
}
