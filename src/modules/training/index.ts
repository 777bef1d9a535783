import type { PlatformModule } from '../module';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { TrainingRequirement } from './training-requirement.entity';
import { trainingResolvers } from './training.resolver';
import { trainingPermissions } from './training.rules';
import { findTrainingModule } from './training-catalogue.service';
import { findTrainingRecord } from './training-records.service';
import { findTrainingRequirement } from './training-requirements.service';

export { eligibilityFor, type Eligibility } from './eligibility';
export { eligibilityOf } from './training-eligibility.service';
export { answerTrainingOversightWith } from './training.policy';
export { TrainingModule, TrainingRecord, TrainingRequirement };
export { EligibilityType } from './training.types';

/** The training catalogue, scheme role requirements, training records and eligibility. */
export const trainingModule: PlatformModule = {
  name: 'training',
  entities: [TrainingModule, TrainingRequirement, TrainingRecord],
  resolvers: trainingResolvers,
  permissions: trainingPermissions,
  nodeTypes: [
    // Each loads exactly as its own query authorises: the catalogue and requirements for any
    // member, a record only for those who may see the person's training.
    { typeName: 'TrainingModule', entity: TrainingModule, load: findTrainingModule },
    { typeName: 'TrainingRequirement', entity: TrainingRequirement, load: findTrainingRequirement },
    { typeName: 'TrainingRecord', entity: TrainingRecord, load: findTrainingRecord },
  ],
};
