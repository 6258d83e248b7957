import { parse, type OperationDefinitionNode } from 'graphql';
import { comparePositions, decodeCursor, encodeCursor } from '../../src/events/event-hub';
import { MAX_EVENT_ID, operationOf, positionBefore, selectsTopLevelField } from '../../src/events/stream-position';

const op = (text: string, name?: string) => {
  const doc = parse(text);
  return { doc, operation: operationOf(doc, name) as OperationDefinitionNode };
};

describe('the stream position a query gives', () => {
  it('lies before every event of a transaction at or above the horizon, and after every one below it', () => {
    const xmin = 1_000_000_007n;
    const p = positionBefore(xmin);
    // Running or later transactions: their events come after it, whatever their id.
    expect(comparePositions({ txid: xmin, id: 1n }, p)).toBe(1);
    expect(comparePositions({ txid: xmin + 5n, id: 1n }, p)).toBe(1);
    // Ended before the snapshot: before or at it, even with the largest id.
    expect(comparePositions({ txid: xmin - 1n, id: MAX_EVENT_ID - 1n }, p)).toBe(-1);
    expect(comparePositions({ txid: xmin - 2n, id: MAX_EVENT_ID }, p)).toBe(-1);
  });

  it('is a cursor the subscription accepts, with the largest bigint id', () => {
    const cursor = encodeCursor(positionBefore(2n ** 40n));
    expect(cursor).toBe(`${2n ** 40n - 1n}.9223372036854775807`);
    expect(decodeCursor(cursor)).toEqual(positionBefore(2n ** 40n));
  });
});

describe('which queries read the position first', () => {
  it('finds the field at the top level, aliased, in inline fragments and fragment spreads', () => {
    for (const text of [
      '{ inbox(view: TO_REGISTER) { totalCount } routingEventsCursor }',
      '{ at: routingEventsCursor inboxCounts { TO_REGISTER } }',
      '{ ... on Query { routingEventsCursor } }',
      'query Q { ...F } fragment F on Query { inboxCounts { TO_REGISTER } ...G } fragment G on Query { routingEventsCursor }',
    ]) {
      const { doc, operation } = op(text, text.startsWith('query Q') ? 'Q' : undefined);
      expect([text, selectsTopLevelField(doc, operation, 'routingEventsCursor')]).toEqual([text, true]);
    }
  });

  it('ignores it when absent, nested, or in another operation of the document', () => {
    expect(selectsTopLevelField(parse('{ inboxCounts { TO_REGISTER } }'), op('{ inboxCounts { TO_REGISTER } }').operation, 'routingEventsCursor')).toBe(false);
    const nested = '{ me { routingEventsCursor: username } }';
    expect(selectsTopLevelField(parse(nested), op(nested).operation, 'routingEventsCursor')).toBe(false);
    const two = 'query A { inboxCounts { TO_REGISTER } } query B { routingEventsCursor }';
    const { doc } = op(two);
    expect(selectsTopLevelField(doc, operationOf(doc, 'A')!, 'routingEventsCursor')).toBe(false);
    expect(selectsTopLevelField(doc, operationOf(doc, 'B')!, 'routingEventsCursor')).toBe(true);
    expect(operationOf(doc)).toBeUndefined();
    // A fragment that spreads itself (invalid, refused by validation) does not loop.
    const cyclic = 'query C { ...F } fragment F on Query { ...F }';
    expect(selectsTopLevelField(parse(cyclic), op(cyclic, 'C').operation, 'routingEventsCursor')).toBe(false);
  });
});
