import { allow, hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/*
 * Configuration and records are changed by scheme admins only. Reading the catalogue and
 * requirements is open to every member of the organisation (row-level security keeps it in
 * the organisation); a person's records and eligibility are checked per person in the service
 * (the person, scheme admins, active Lead MILOs).
 *
 * Object types are field maps so other modules may add fields. This module declares the
 * eligibility types too (they live in training.types.ts); others must not declare them again.
 */
export const trainingPermissions: ModulePermissions = {
  Query: {
    trainingModules: isAuthenticated,
  },
  Mutation: {
    createTrainingModule: schemeAdmin,
    updateTrainingModule: schemeAdmin,
    setTrainingRequirements: schemeAdmin,
    recordTraining: schemeAdmin,
    importTrainingRecords: schemeAdmin,
  },
  Scheme: { trainingRequirements: isAuthenticated },
  Person: { trainingRecords: isAuthenticated, eligibility: isAuthenticated },
  TrainingModule: { '*': allow },
  TrainingRequirement: { '*': allow },
  TrainingRecord: { '*': allow },
  Eligibility: { '*': allow },
  UnmetRequirement: { '*': allow },
  MetRequirement: { '*': allow },
  CreateTrainingModulePayload: allow,
  UpdateTrainingModulePayload: allow,
  SetTrainingRequirementsPayload: allow,
  RecordTrainingPayload: allow,
  ImportTrainingRecordsPayload: allow,
};
