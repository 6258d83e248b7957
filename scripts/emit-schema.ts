import 'reflect-metadata';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAppSchema } from '../src/graphql/schema';

/** Writes schema/schema.graphql from the resolvers: the SDL frontend teams read and codegen uses. */
async function main() {
  const schema = await buildAppSchema();
  const root = path.resolve(__dirname, '../..');
  const sdl = printSchema(lexicographicSortSchema(schema));
  writeFileSync(path.join(root, 'schema', 'schema.graphql'), `# Generated from the resolvers by \`npm run codegen\`. Do not edit.\n\n${sdl}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
