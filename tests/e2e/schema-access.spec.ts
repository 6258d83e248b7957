import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLObjectType } from 'graphql';
import type { AccessExtensions } from '../../src/graphql/access';
import { buildAppSchema } from '../../src/graphql/schema';

describe('the schema', () => {
  it('declares who may use every Query, Mutation and Subscription field', async () => {
    const schema = await buildAppSchema();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean) as GraphQLObjectType[];
    const undeclared: string[] = [];
    let checked = 0;
    for (const root of roots) {
      for (const field of Object.values(root.getFields())) {
        checked++;
        const ext = field.extensions as Partial<AccessExtensions>;
        if (!Array.isArray(ext.allow) || ext.allow.length === 0) undeclared.push(`${root.name}.${field.name}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(undeclared).toEqual([]);
  });

  it('matches the committed schema/schema.graphql', async () => {
    const schema = await buildAppSchema();
    const committed = readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(committed).toContain(printSchema(lexicographicSortSchema(schema)));
  });

  it('keeps the contract names of API.md', async () => {
    const schema = await buildAppSchema();
    const q = schema.getQueryType()!.getFields();
    const m = schema.getMutationType()!.getFields();
    for (const name of ['me', 'myPermissions', 'node', 'units', 'accounts']) expect(q[name]).toBeDefined();
    for (const name of [
      'login',
      'logout',
      'changePassword',
      'createAccount',
      'updateAccount',
      'transferAccount',
      'disableAccount',
      'enableAccount',
      'resetPassword',
      'createUnit',
      'updateUnit',
    ]) {
      expect(m[name]).toBeDefined();
    }
  });
});
