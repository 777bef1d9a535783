import type { PlatformModule } from '../module';
import { SignpostingService } from './signposting-service.entity';
import { SignpostingResolver } from './signposting.resolver';
import { signpostingPermissions } from './signposting.rules';
import { findSignpostingService } from './signposting.service';

export { SignpostingService, SignpostingCategory } from './signposting-service.entity';
export { SignpostingServiceType } from './signposting.types';
export { crisisServicesFor, signpostingServiceById, visibleSignpostingServices } from './signposting.service';

export const signpostingModule: PlatformModule = {
  name: 'signposting',
  entities: [SignpostingService],
  resolvers: [SignpostingResolver],
  permissions: signpostingPermissions,
  nodeTypes: [{ typeName: 'SignpostingService', entity: SignpostingService, load: findSignpostingService }],
};
