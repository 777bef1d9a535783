import type { PlatformModule } from '../module';
import { TaxonomiesResolver } from './taxonomies.resolver';
import { taxonomyPermissions } from './taxonomies.rules';
import { findTaxonomyTerm } from './taxonomies.service';
import { TaxonomyTerm } from './taxonomy-term.entity';

export { TaxonomyTerm };
export { TaxonomyKind } from './taxonomy-kind';
export { problemsWithCodes, termsOf } from './taxonomies.service';

export const taxonomiesModule: PlatformModule = {
  name: 'taxonomies',
  entities: [TaxonomyTerm],
  resolvers: [TaxonomiesResolver],
  permissions: taxonomyPermissions,
  nodeTypes: [{ typeName: 'TaxonomyTerm', entity: TaxonomyTerm, load: findTaxonomyTerm }],
};
