import type { PlatformModule } from '../module';
import { Organisation } from './organisation.entity';
import { OrganisationsResolver } from './organisations.resolver';
import { organisationPermissions } from './organisations.rules';
import { findOrganisation } from './organisations.service';

export { Organisation, OrganisationKind } from './organisation.entity';
export { OrganisationType } from './organisation.types';
export { organisationById } from './organisations.loaders';
export { findOrganisation, organisationNameOf, viewerOrganisation } from './organisations.service';

export const organisationsModule: PlatformModule = {
  name: 'organisations',
  entities: [Organisation],
  resolvers: [OrganisationsResolver],
  permissions: organisationPermissions,
  nodeTypes: [{ typeName: 'Organisation', entity: Organisation, load: findOrganisation }],
};
