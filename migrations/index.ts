import { Foundation1764140000000 } from './1764140000000-foundation';
import { SchemesTrainingMilos1764150000000 } from './1764150000000-schemes-training-milos';
import { SupportWork1764160000000 } from './1764160000000-support-work';
import { CarePlans1764170000000 } from './1764170000000-care-plans';
import { PartnerAccessHardening1764180000000 } from './1764180000000-partner-access-hardening';
import { SeparationOfDuties1764190000000 } from './1764190000000-separation-of-duties';
import { SchemeRetentionMinimum1764200000000 } from './1764200000000-scheme-retention-minimum';
import { SqlConventions1764210000000 } from './1764210000000-sql-conventions';

/** Every migration, in order. Listed explicitly so the same list serves ts-jest and dist/. */
export const migrations = [
  Foundation1764140000000,
  SchemesTrainingMilos1764150000000,
  SupportWork1764160000000,
  CarePlans1764170000000,
  PartnerAccessHardening1764180000000,
  SeparationOfDuties1764190000000,
  SchemeRetentionMinimum1764200000000,
  SqlConventions1764210000000,
];
