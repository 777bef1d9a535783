import { Matches, MaxLength } from 'class-validator';

/*
 * Input checks shared by every module's input classes. Free text is stored exactly as given
 * (SQL or HTML in it is data: queries are parameterised and clients escape on display); what
 * is refused is what PostgreSQL cannot store or the platform will not keep.
 */

/** Not only whitespace: a blank name or document is as good as none. */
export const notBlank = (what: string) => Matches(/\S/, { message: `${what} must not be blank` });

/** PostgreSQL text cannot hold U+0000; refused here so it is a clear error, not a masked one. */
const NO_NUL = /^[^\u0000]*$/;

/** Optional free text of at most `max` characters, without NUL characters. */
export function FreeText(what: string, max: number): PropertyDecorator {
  const length = MaxLength(max, { message: `${what} must be at most ${max} characters` });
  const printable = Matches(NO_NUL, { message: `${what} must not contain NUL characters` });
  return (target, property) => {
    length(target, property);
    printable(target, property);
  };
}
