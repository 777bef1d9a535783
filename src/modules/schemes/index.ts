import type { PlatformModule } from '../module';
import { Scheme } from './scheme.entity';
import { OrganisationSchemesResolver } from './schemes.resolver';
import { schemePermissions } from './schemes.rules';
import { findScheme } from './schemes.service';

export { Scheme } from './scheme.entity';
export { SchemeType } from './scheme.types';

export const schemesModule: PlatformModule = {
  name: 'schemes',
  entities: [Scheme],
  resolvers: [OrganisationSchemesResolver],
  permissions: schemePermissions,
  nodeTypes: [{ typeName: 'Scheme', entity: Scheme, load: findScheme }],
};
