import { createHash } from 'node:crypto';
import { feedbackPath, hashFeedbackToken, issueFeedbackToken, parseFeedbackToken } from '../../src/modules/feedback/feedback-token';
import { loggableUrl } from '../../src/platform/http/server';

const ORGANISATION = '0b4c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e';

describe('one-time feedback tokens', () => {
  it('name the organisation and carry 256 random bits, base64url', () => {
    const { token } = issueFeedbackToken(ORGANISATION);
    expect(token).toMatch(/^0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.split('.')[1], 'base64url')).toHaveLength(32);
  });

  it('are different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => issueFeedbackToken(ORGANISATION).token));
    expect(tokens.size).toBe(50);
  });

  it('are stored only as the sha256 hex of the whole token', () => {
    const { token, tokenHash } = issueFeedbackToken(ORGANISATION);
    expect(tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).not.toContain(token.split('.')[1]);
  });

  it('parse back to the organisation id and the same hash', () => {
    const { token, tokenHash } = issueFeedbackToken(ORGANISATION);
    expect(parseFeedbackToken(token)).toEqual({ organisationId: ORGANISATION, tokenHash });
  });

  it('hash differently when the organisation part is changed, so a moved secret finds nothing', () => {
    const { token, tokenHash } = issueFeedbackToken(ORGANISATION);
    const moved = `ffffffff2d3a4b5c8d9e0f1a2b3c4d5e.${token.split('.')[1]}`;
    const parsed = parseFeedbackToken(moved);
    expect(parsed?.organisationId).toBe('ffffffff-2d3a-4b5c-8d9e-0f1a2b3c4d5e');
    expect(parsed?.tokenHash).not.toBe(tokenHash);
    expect(parsed?.tokenHash).toBe(hashFeedbackToken(moved));
  });

  it.each([
    ['empty', ''],
    ['no dot', '0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e'],
    ['dashed uuid', `${ORGANISATION}.${'A'.repeat(43)}`],
    ['upper-case hex', `0B4C6F1E2D3A4B5C8D9E0F1A2B3C4D5E.${'A'.repeat(43)}`],
    ['short secret', `0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e.${'A'.repeat(42)}`],
    ['long secret', `0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e.${'A'.repeat(44)}`],
    ['padding', `0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e.${'A'.repeat(42)}=`],
    ['sql', `0b4c6f1e2d3a4b5c8d9e0f1a2b3c4d5e.' or 1=1 --`],
    ['huge', 'a'.repeat(10_000)],
  ])('refuse a malformed token (%s)', (_name, token) => {
    expect(parseFeedbackToken(token)).toBeNull();
  });

  it('refuse what is not a string', () => {
    expect(parseFeedbackToken(undefined)).toBeNull();
    expect(parseFeedbackToken(42)).toBeNull();
    expect(parseFeedbackToken(['a'])).toBeNull();
  });

  it('refuse to issue for something that is not an organisation id', () => {
    expect(() => issueFeedbackToken('not-an-id')).toThrow();
  });

  it('give the public path of the form', () => {
    expect(feedbackPath('abc.def')).toBe('/feedback/abc.def');
  });

  it('never reach the request log: the path is logged with :token instead', () => {
    const { token } = issueFeedbackToken(ORGANISATION);
    expect(loggableUrl(`/feedback/${token}`)).toBe('/feedback/:token');
    expect(loggableUrl(`/feedback/${token}?x=1`)).toBe('/feedback/:token?x=1');
    expect(loggableUrl('/graphql')).toBe('/graphql');
    expect(loggableUrl('/feedback/short')).toBe('/feedback/short');
  });
});
