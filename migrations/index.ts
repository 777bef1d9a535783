import { Foundation1764140000000 } from './1764140000000-foundation';

/** Every migration, in order. Listed explicitly so the same list serves ts-jest and dist/. */
export const migrations = [Foundation1764140000000];
