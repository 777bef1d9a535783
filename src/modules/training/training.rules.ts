import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/*
 * Configuration and records are changed by scheme admins only. Reading the catalogue and
 * requirements is open to every member of the organisation (row-level security keeps it in
 * the organisation); a person's records and eligibility are checked per person in the service
 * (the person, scheme admins, active Lead MILOs).
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
};
