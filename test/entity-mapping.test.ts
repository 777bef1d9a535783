import { createAppDataSource } from '../src/platform/database/data-source';
import { entities } from '../src/modules';
import { ownerClient } from './support/platform';

/**
 * Entities are hand-written next to hand-written migrations (no synchronize): this keeps the
 * two in step, column by column, so a typo fails here rather than in a resolver.
 */
it('maps every entity column to a column of the migrated table with a compatible type', async () => {
  const dataSource = createAppDataSource(process.env.TEST_APP_URL as string, entities);
  await dataSource.initialize();
  const owner = await ownerClient();
  try {
    const columns = await owner.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `select table_name, column_name, udt_name, is_nullable from information_schema.columns where table_schema = 'public'`,
    );
    const actual = new Map(columns.rows.map((row) => [`${row.table_name}.${row.column_name}`, row]));
    const normalise = (type: string) =>
      ({ int4: 'integer', bool: 'boolean', timestamptz: 'timestamptz', _uuid: 'uuid[]', _text: 'text[]' })[type] ?? type;
    expect(dataSource.entityMetadatas.length).toBe(entities.length);
    for (const entity of dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        const key = `${entity.tableName}.${column.databaseName}`;
        const found = actual.get(key);
        expect({ column: key, exists: Boolean(found) }).toEqual({ column: key, exists: true });
        const declared = `${String(column.type)}${column.isArray ? '[]' : ''}`;
        expect({ column: key, type: normalise(found!.udt_name) }).toEqual({ column: key, type: declared });
        expect({ column: key, nullable: found!.is_nullable === 'YES' }).toEqual({ column: key, nullable: column.isNullable });
      }
    }
  } finally {
    await owner.end();
    await dataSource.destroy();
  }
});
