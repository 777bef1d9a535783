import type { PlatformModule } from '../module';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { TrainingRequirement } from './training-requirement.entity';

export { eligibilityFor, type Eligibility } from './eligibility';
export { TrainingModule, TrainingRecord, TrainingRequirement };

// Issue 3 in progress: the catalogue, requirements and records are mapped; services,
// resolvers and rules follow (see the commit trail).
export const trainingModule: PlatformModule = {
  name: 'training',
  entities: [TrainingModule, TrainingRequirement, TrainingRecord],
  resolvers: [],
  permissions: {},
  nodeTypes: [],
};
