import type { PlatformModule } from './module';
import { organisationsModule } from './organisations';
import { peopleModule } from './people';
import { milosModule } from './milos';
import { schemesModule } from './schemes';
import { trainingModule } from './training';
import { viewerModule } from './viewer';
import { taxonomiesModule } from './taxonomies';
import { agreementsModule } from './agreements';
import { feedbackModule } from './feedback';
import { demandModule } from './demand';
import { signpostingModule } from './signposting';
import { referralsModule } from './referrals';
import { supportModule } from './support';
import { partnerCarePlansModule } from './partner-care-plans';
import { auditLogModule } from './audit-log';
import { carePlansModule } from './care-plans';
import { fhirExportModule } from './care-plans/fhir';

export type { PlatformModule } from './module';

/** Every domain module of the platform. A new domain is added here and nowhere else. */
export const platformModules: PlatformModule[] = [
  viewerModule,
  organisationsModule,
  peopleModule,
  schemesModule,
  trainingModule,
  milosModule,
  taxonomiesModule,
  agreementsModule,
  signpostingModule,
  referralsModule,
  feedbackModule,
  demandModule,
  supportModule,
  partnerCarePlansModule,
  auditLogModule,
  carePlansModule,
  fhirExportModule,
];

export const entities = platformModules.flatMap((module) => module.entities);
