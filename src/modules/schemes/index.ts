import type { PlatformModule } from '../module';
import { Scheme } from './scheme.entity';
import { SchemeRoleDefinition } from './scheme-role.entity';
import { TermsOfReference } from './terms-of-reference.entity';
import { OrganisationSchemesResolver, SchemesResolver, TermsOfReferenceResolver } from './schemes.resolver';
import { schemePermissions } from './schemes.rules';
import { findScheme, findTermsOfReference } from './schemes.service';

export { Scheme };
export { SchemeRole, type SchemeRoleCode } from './scheme-role';
export { TermsOfReference };
export { SchemeType } from './scheme.types';
export { schemeById } from './schemes.loaders';

export const schemesModule: PlatformModule = {
  name: 'schemes',
  entities: [Scheme, SchemeRoleDefinition, TermsOfReference],
  resolvers: [OrganisationSchemesResolver, SchemesResolver, TermsOfReferenceResolver],
  permissions: schemePermissions,
  nodeTypes: [
    { typeName: 'Scheme', entity: Scheme, load: findScheme },
    { typeName: 'TermsOfReference', entity: TermsOfReference, load: findTermsOfReference },
  ],
};
