import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { TrainingRequirement } from './training-requirement.entity';
import type { SchemeRoleCode } from '../schemes';

export const trainingModuleById = tenantRowsById(TrainingModule);

/** A person's completions, oldest first. */
export const trainingRecordsByPersonId = rowsByParent(TrainingRecord, 'personId', { order: { completedOn: 'ASC', id: 'ASC' } });

/** Single completions by id (node(id:), payloads); the person's list primes nothing here. */
export const trainingRecordById = tenantRowsById(TrainingRecord);

export const requirementKey = (schemeId: string, role: SchemeRoleCode) => `${schemeId}:${role}`;

/**
 * A scheme role's requirements, keyed by requirementKey(schemeId, role). Each row also primes
 * requirementById, so explaining an eligibility answer (`unmet { requirement }`) costs no
 * further statement.
 */
export const requirementsBySchemeRole: LoaderFactory<string, TrainingRequirement[]> = (context) =>
  new DataLoader(async (keys) => {
    const schemeIds = [...new Set(keys.map((key) => key.split(':')[0]))];
    const rows = await context.db.getRepository(TrainingRequirement).find({
      where: { tenantId: context.tenantId, schemeId: In(schemeIds) },
      order: { title: 'ASC', id: 'ASC' },
    });
    const byId = context.loaders.use(requirementById);
    for (const row of rows) byId.clear(row.id).prime(row.id, row);
    return manyByKey(keys, rows, (row) => requirementKey(row.schemeId, row.roleCode));
  });

/** Requirements by id (node(id:), and the requirement behind an eligibility answer). */
export const requirementById = tenantRowsById(TrainingRequirement);
