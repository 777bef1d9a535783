import { LocalDateResolver } from 'graphql-scalars';

/** A calendar date, `YYYY-MM-DD` (training is completed and expires on days, not instants). */
export const LocalDate = LocalDateResolver;
