import { GraphQLEnumType, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLScalarType, GraphQLString } from 'graphql';
import { buildAppSchema } from '../../src/graphql/schema';
import { ATTACHMENT, DOCUMENT } from '../../src/read/document-sql';
import { stringifyResult } from '../../src/read/fast-operation';
import { plainColumn, writtenFields } from '../../src/read/response-sql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../src/context';
import { RawJson, planned } from '../../src/read/raw';
import { globalId, isoInstant, valueOf } from '../../src/read/response-values';

describe('values written by PostgreSQL as the API writes them', () => {
  it('passes plain scalars and enums named as their values, maps other enums, refuses scalars it does not know', () => {
    expect(valueOf(new GraphQLNonNull(GraphQLString), 'd.subject')).toBe('d.subject');
    expect(valueOf(GraphQLInt, 'd.page_count')).toBe('d.page_count');
    const same = new GraphQLEnumType({ name: 'Same', values: { A: { value: 'A' }, B: { value: 'B' } } });
    expect(valueOf(same, 'd.x')).toBe('d.x');
    const renamed = new GraphQLEnumType({ name: 'Renamed', values: { NORMAL: { value: 'normal' }, URGENT: { value: "ur'gent" } } });
    expect(valueOf(renamed, 'd.x')).toBe(`case d.x when 'normal' then 'NORMAL' when 'ur''gent' then 'URGENT' end`);
    expect(valueOf(new GraphQLList(same), 'a.roles')).toBe('a.roles');
    expect(valueOf(new GraphQLList(renamed), 'a.roles')).toBeNull();
    expect(valueOf(new GraphQLScalarType({ name: 'Money' }), 'd.amount')).toBeNull();
    expect(valueOf(new GraphQLScalarType({ name: 'DateTime' }), 'd.at')).toBe(isoInstant('d.at'));
  });

  it('writes global ids of the known types only', () => {
    expect(globalId('IncomingDocument', 'd')).toContain(`'IncomingDocument:' || d.id`);
    expect(globalId('DocumentType', 't')).toContain(`'DocumentType:' || t.code`);
    expect(globalId('Attachment', 'f')).toContain(`'StoredFile:' || f.id`);
    expect(globalId('WorkSchedule', 'w')).toBeNull();
  });
});

describe('the response around raw answers', () => {
  it('is what JSON.stringify writes, with each raw answer as PostgreSQL wrote it', () => {
    const plain = { data: { a: 1, b: [true, null] } };
    expect(stringifyResult(plain)).toBe(`${JSON.stringify(plain)}\n`);
    const raw = { data: { __typename: 'Query', inbox: new RawJson('{"totalCount" : 3}'), other: null } };
    expect(stringifyResult(raw)).toBe('{"data":{"__typename":"Query","inbox":{"totalCount" : 3},"other":null}}\n');
    expect(JSON.parse(stringifyResult(raw))).toEqual({ data: { __typename: 'Query', inbox: { totalCount: 3 }, other: null } });
    // Errors first and extensions last, as Apollo orders a result.
    const both = { errors: [{ message: 'x' }], data: { d: new RawJson('null') }, extensions: { n: 1 } };
    expect(stringifyResult(both)).toBe('{"errors":[{"message":"x"}],"data":{"d":null},"extensions":{"n":1}}\n');
  });

  it('serialises to the same value anywhere else', () => {
    expect(JSON.stringify({ x: new RawJson('{"a" : [1, 2]}') })).toBe('{"x":{"a":[1,2]}}');
  });
});

describe('fields written in SQL', () => {
  it('are columns without a resolver, or what the SQL writes as a resolver would; never a field rule', async () => {
    const fields = writtenFields(await buildAppSchema());
    const has = (type: string, name: string) => fields[type]?.includes(name) ?? false;
    for (const [type, name] of [
      ['IncomingDocument', 'subject'],
      ['IncomingDocument', 'numberAndSymbol'],
      ['Attachment', 'size'],
      ['Attachment', 'url'],
      ['Assignment', 'assignee'],
      ['Dossier', 'documentCount'],
    ])
      expect([type, name, has(type, name)]).toEqual([type, name, true]);
    for (const [type, name] of [
      ['Assignment', 'instruction'],
      ['RoutingEvent', 'note'],
      ['RoutingEvent', 'cursor'],
      ['IncomingDocument', 'submissionOverdue'],
      ['IncomingDocument', 'possibleDuplicates'],
      ['OutgoingDocument', 'annulledAt'],
      ['Dossier', 'retention'],
    ])
      expect([type, name, has(type, name)]).toEqual([type, name, false]);
  });

  it('a column whose field has a resolver is not read from its column', async () => {
    const schema = await buildAppSchema();
    // Attachment.size is a column and has a resolver (Number(size)): written only as `computed` says.
    expect(plainColumn(schema, 'Attachment', { spec: ATTACHMENT }, 'size')).toBe(false);
    expect(plainColumn(schema, 'Attachment', { spec: ATTACHMENT }, 'name')).toBe(true);
    expect(plainColumn(schema, 'IncomingDocument', { spec: DOCUMENT }, 'subject')).toBe(true);
  });
});

describe('statements kept for raw reads', () => {
  it('are kept by request shape, and a request of unusual size is never kept', () => {
    const ctx = { ability: {} } as unknown as Context;
    const info = { fieldNodes: [{}], variableValues: {} } as unknown as GraphQLResolveInfo;
    let built = 0;
    const build = () => {
      built++;
      return { sql: 'select 1', params: [] };
    };
    planned(ctx, info, ['inbox', 'TO_PROCESS'], build);
    planned(ctx, info, ['inbox', 'TO_PROCESS'], build);
    expect(built).toBe(1);
    planned(ctx, info, ['inbox', 'RETURNED'], build);
    expect(built).toBe(2);
    const huge = ['documents', 'x'.repeat(2_000_000)];
    planned(ctx, info, huge, build);
    planned(ctx, info, huge, build);
    expect(built).toBe(4);
  });
});
