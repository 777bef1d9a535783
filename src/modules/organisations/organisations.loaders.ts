import { visibleRowsById } from '../../platform/graphql/batch';
import { Organisation } from './organisation.entity';

/** Organisations by id: the registry is global, so any caller may resolve a name. */
export const organisationById = visibleRowsById(Organisation);
