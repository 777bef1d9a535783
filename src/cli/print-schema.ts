import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { schemaParts } from '../app';
import { buildUnprotectedSchema, printSdl } from '../platform/graphql/schema';
import { projectRoot } from '../platform/project-root';

/** `npm run schema` writes schema/schema.graphql; `npm run schema:check` fails when it is stale. */
async function main(): Promise<void> {
  const file = path.join(projectRoot(), 'schema', 'schema.graphql');
  const sdl = printSdl(await buildUnprotectedSchema(schemaParts()));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // a missing file is simply out of step
    }
    if (current !== sdl) {
      process.stderr.write('schema/schema.graphql is out of step with the code: run `npm run schema`\n');
      process.exitCode = 1;
      return;
    }
    process.stdout.write('schema/schema.graphql is up to date\n');
    return;
  }
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
