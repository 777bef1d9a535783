import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, oneByKey } from '../../platform/graphql/batch';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { TrainingRequirement, type SchemeRoleCode } from './training-requirement.entity';

export const trainingModuleById: LoaderFactory<string, TrainingModule | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.db.getRepository(TrainingModule).findBy({ tenantId: context.tenantId, id: In([...ids]) });
    return oneByKey(ids, rows, (row) => row.id);
  });

/** A person's completions, oldest first. */
export const trainingRecordsByPersonId: LoaderFactory<string, TrainingRecord[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(TrainingRecord).find({
      where: { tenantId: context.tenantId, personId: In([...personIds]) },
      order: { completedOn: 'ASC', id: 'ASC' },
    });
    return manyByKey(personIds, rows, (row) => row.personId);
  });

export const requirementKey = (schemeId: string, role: SchemeRoleCode) => `${schemeId}:${role}`;

/** A scheme role's requirements, keyed by requirementKey(schemeId, role). */
export const requirementsBySchemeRole: LoaderFactory<string, TrainingRequirement[]> = (context) =>
  new DataLoader(async (keys) => {
    const schemeIds = [...new Set(keys.map((key) => key.split(':')[0]))];
    const rows = await context.db.getRepository(TrainingRequirement).find({
      where: { tenantId: context.tenantId, schemeId: In(schemeIds) },
      order: { title: 'ASC', id: 'ASC' },
    });
    return manyByKey(keys, rows, (row) => requirementKey(row.schemeId, row.roleCode));
  });
