import { COMMENT_MAX_LENGTH, readFeedbackAnswer } from '../../src/modules/feedback/feedback-answer';

const fields = (body: unknown) => readFeedbackAnswer(body).problems?.map((problem) => problem.field) ?? [];

describe("reading the person supported's answer", () => {
  it('accepts a rating with themes and a comment', () => {
    expect(readFeedbackAnswer({ rating: 4, themeCodes: ['WORK_STRESS'], comment: 'Thank you' })).toEqual({
      answer: { rating: 4, themeCodes: ['WORK_STRESS'], comment: 'Thank you' },
    });
  });

  it('needs only a rating; no themes and no comment are fine', () => {
    expect(readFeedbackAnswer({ rating: 1 })).toEqual({ answer: { rating: 1, themeCodes: [], comment: null } });
    expect(readFeedbackAnswer({ rating: 5, themeCodes: null, comment: null }).answer).toEqual({ rating: 5, themeCodes: [], comment: null });
  });

  it('keeps SQL and HTML in the comment exactly as sent, and treats a blank one as none', () => {
    const comment = `'); drop table feedback; -- <script>alert(1)</script>`;
    expect(readFeedbackAnswer({ rating: 3, comment }).answer?.comment).toBe(comment);
    expect(readFeedbackAnswer({ rating: 3, comment: '  \n ' }).answer?.comment).toBeNull();
  });

  it.each([0, 6, 4.5, '4', null, undefined, true])('refuses the rating %p', (rating) => {
    expect(fields({ rating })).toEqual(['rating']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [undefined, null, 'text', 4, [1, 2]]) expect(fields(body)).toEqual(['body']);
  });

  it('refuses anything that could name the sender: only the three fields are accepted', () => {
    expect(fields({ rating: 4, name: 'PC Smith', email: 'x@y' })).toEqual(['name', 'email']);
  });

  it('refuses themes that are not a list of codes, repeated or too many', () => {
    expect(fields({ rating: 4, themeCodes: 'WORK_STRESS' })).toEqual(['themeCodes']);
    expect(fields({ rating: 4, themeCodes: ['WORK_STRESS', 'lower', 7] })).toEqual(['themeCodes[1]', 'themeCodes[2]']);
    expect(fields({ rating: 4, themeCodes: ['A', 'A'] })).toEqual(['themeCodes']);
    expect(fields({ rating: 4, themeCodes: Array.from({ length: 11 }, (_, i) => `T${i}`) })).toEqual(['themeCodes']);
  });

  it('refuses a comment over the limit (counted in characters, as PostgreSQL does), or with NUL', () => {
    expect(readFeedbackAnswer({ rating: 4, comment: 'x'.repeat(COMMENT_MAX_LENGTH) }).answer).toBeDefined();
    expect(readFeedbackAnswer({ rating: 4, comment: '😀'.repeat(COMMENT_MAX_LENGTH) }).answer).toBeDefined();
    expect(fields({ rating: 4, comment: 'x'.repeat(COMMENT_MAX_LENGTH + 1) })).toEqual(['comment']);
    expect(fields({ rating: 4, comment: 'x'.repeat(100_000) })).toEqual(['comment']);
    expect(fields({ rating: 4, comment: 'a\u0000b' })).toEqual(['comment']);
    expect(fields({ rating: 4, comment: 12 })).toEqual(['comment']);
  });

  it('reports every problem at once', () => {
    expect(fields({ rating: 9, themeCodes: 'x', comment: 5, from: 'me' })).toEqual(['from', 'rating', 'themeCodes', 'comment']);
  });
});
