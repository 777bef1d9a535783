import { Length, Matches } from 'class-validator';
import type { FieldProblem } from '../../platform/errors';

/*
 * A person's subject is the identity provider's `sub`: it is what binds a token to a person,
 * so it is kept as exactly the text a provider sends, and nothing a log line, a terminal or
 * PostgreSQL would treat specially (C0, DEL and C1 control characters, NUL among them).
 */

export const SUBJECT_MAX_LENGTH = 255;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with a subject, or null when it may be linked to a person. */
export function subjectProblem(subject: string, field = 'subject'): FieldProblem | null {
  if (subject.length < 1 || subject.length > SUBJECT_MAX_LENGTH) {
    return { field, message: `subject must be 1–${SUBJECT_MAX_LENGTH} characters` };
  }
  if (CONTROL_CHARACTER.test(subject)) return { field, message: 'subject must not contain control characters' };
  return null;
}

/** The input check for a subject field, with the same rule as subjectProblem. */
export function IdentitySubject(): PropertyDecorator {
  const length = Length(1, SUBJECT_MAX_LENGTH, { message: `subject must be 1–${SUBJECT_MAX_LENGTH} characters` });
  const plain = Matches(/^[^\u0000-\u001f\u007f-\u009f]*$/, { message: 'subject must not contain control characters' });
  return (target, property) => {
    length(target, property);
    plain(target, property);
  };
}
