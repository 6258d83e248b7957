import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType, isInputObjectType, isObjectType, type GraphQLNamedType } from 'graphql';
import { Direction, DocumentState, RoutingEventKind } from '../../src/domain/documents/document-enums';
import { IncomingState } from '../../src/domain/incoming/routing';
import { OutgoingState } from '../../src/domain/outgoing/workflow';

const root = path.join(__dirname, '../..');
const schema = buildSchema(readFileSync(path.join(root, 'schema/schema.graphql'), 'utf8'));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function enumOf(name: string) {
  const t: GraphQLNamedType | undefined | null = schema.getType(name);
  if (!isEnumType(t)) throw new Error(`${name} is not an enum of schema/schema.graphql`);
  return t;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the routing-event enums', () => {
  it('DocumentState holds every state of either direction, and nothing else', () => {
    expect(sorted(Object.values(DocumentState))).toEqual(sorted([...Object.values(IncomingState), ...Object.values(OutgoingState)]));
  });

  it('the published schema types RoutingEvent.type, fromState, toState and the filter with them, every value described', () => {
    const types = enumOf('RoutingEventType');
    const states = enumOf('DocumentState');
    expect(sorted(types.getValues().map((v) => v.value))).toEqual(sorted(Object.values(RoutingEventKind)));
    expect(sorted(states.getValues().map((v) => v.value))).toEqual(sorted(Object.values(DocumentState)));
    expect([...types.getValues(), ...states.getValues()].filter((v) => !v.description)).toEqual([]);
    const event = schema.getType('RoutingEvent');
    const filter = schema.getType('RoutingEventFilter');
    if (!isObjectType(event) || !isInputObjectType(filter)) throw new Error('RoutingEvent or RoutingEventFilter missing');
    const fields = event.getFields();
    expect([String(fields.type.type), String(fields.fromState.type), String(fields.toState.type)]).toEqual([
      'RoutingEventType!',
      'DocumentState',
      'DocumentState',
    ]);
    expect(String(filter.getFields().types.type)).toBe('[RoutingEventType!]');
  });

  it('the code writes routing events only with kinds of the enum: no literal type at any recordEvent call', () => {
    const calls = files(path.join(root, 'src')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/recordEvent\(([^;]*?)\)\s*;/gs)].map((m) => ({ file: path.relative(root, f), args: m[1] })),
    );
    expect(calls.length).toBeGreaterThanOrEqual(20);
    // The fourth argument is the type: RoutingEventKind.X, or a parameter typed RoutingEventKind.
    const untyped = calls.filter((c) => /^[^,]+,(?:[^,{]|\{[^}]*\})+,[^,]+,\s*'[^']*'/.test(c.args));
    expect(untyped).toEqual([]);
  });

  it('every constant SQL writes into routing_event (bench data, migrations) is a value of the enums', () => {
    const allowed = new Set<string>([...Object.values(RoutingEventKind), ...Object.values(DocumentState), ...Object.values(Direction)]);
    const sources = [...files(path.join(root, 'scripts')), ...files(path.join(root, 'migrations')), ...files(path.join(root, 'src'))];
    const statements = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/insert into "?routing_event"?[^`]*/gi)].map((m) => ({ file: path.relative(root, f), sql: m[0] })),
    );
    expect(statements.length).toBeGreaterThanOrEqual(2);
    const unknown = statements.flatMap((s) =>
      [...s.sql.matchAll(/'([A-Z][A-Z_]+)'/g)]
        .map((m) => m[1])
        .filter((v) => !allowed.has(v))
        .map((v) => `${s.file}: ${v}`),
    );
    expect(unknown).toEqual([]);
  });
});
