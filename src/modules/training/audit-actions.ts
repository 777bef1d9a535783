/** Audit actions of the training module; the seeds read one of them, so it is named once. */
export const TrainingAuditAction = {
  MODULE_CREATED: 'TRAINING_MODULE_CREATED',
  MODULE_UPDATED: 'TRAINING_MODULE_UPDATED',
  REQUIREMENTS_REPLACED: 'TRAINING_REQUIREMENTS_REPLACED',
  RECORDED: 'TRAINING_RECORDED',
  RECORDS_IMPORTED: 'TRAINING_RECORDS_IMPORTED',
} as const;
