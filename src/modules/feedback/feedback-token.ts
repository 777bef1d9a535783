import { createHash, randomBytes } from 'node:crypto';

/*
 * One-time feedback links for the person supported. The token must let the server find the
 * organisation without an account (every tenant table is behind row-level security keyed by
 * the organisation), and must be unguessable. So it is two parts:
 *
 *   <organisation id, 32 lower-case hex digits>.<32 random bytes, base64url (43 characters)>
 *
 * The organisation part is not a secret: it only says which tenant to open. The random part
 * is 256 bits. Only the SHA-256 of the whole token is stored (feedback_invitation.token_hash),
 * so the database never holds a working link; the token is shown once, when it is created.
 */

const TOKEN = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;
const SECRET_BYTES = 32;

export interface IssuedFeedbackToken {
  /** Give this to the person supported; it is never stored. */
  token: string;
  /** What is stored and looked up: sha256 of the token, lower-case hex. */
  tokenHash: string;
}

export interface ParsedFeedbackToken {
  organisationId: string;
  tokenHash: string;
}

export function hashFeedbackToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token for a link into the given organisation. */
export function issueFeedbackToken(organisationId: string): IssuedFeedbackToken {
  const organisation = organisationId.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(organisation)) throw new Error('A feedback token needs an organisation uuid');
  const token = `${organisation}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { token, tokenHash: hashFeedbackToken(token) };
}

/** The organisation and hash behind a token, or null when it is not one of ours in shape. */
export function parseFeedbackToken(token: unknown): ParsedFeedbackToken | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const hex = match[1];
  const organisationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { organisationId, tokenHash: hashFeedbackToken(token) };
}

/** The relative path of the public feedback form for a token. */
export const feedbackPath = (token: string) => `/feedback/${token}`;
