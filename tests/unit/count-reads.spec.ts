import { RawQueryFragment } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/core';
import type { Document } from '../../entities';
import { NOTHING, viewBranches, withConstants, withoutNothing } from '../../src/read/count-reads';
import { noRows } from '../../src/domain/permissions/to-filter';
import { membershipAsExists } from '../../src/repositories/membership-filter';

// The rewrites inboxCounts makes before rendering (src/read/count-reads.ts) keep the rows of the filters:
// what holds no row goes, an $or view becomes its branches (counted as a union), nothing else changes,
// and no raw fragment (the membership EXISTS) is left registered.

type Where = FilterQuery<Document>;
const exists = (assignee: string) => membershipAsExists<Record<string, unknown>>({ assignments: { $some: { assignee, active: true } } });
const registered = () => RawQueryFragment.checkCacheSize();

/** The raw fragment keys in a filter. */
function rawKeys(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) rawKeys(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('[raw]: ')) into.push(k);
      rawKeys(v, into);
    }
  return into;
}
/** What rendering would do to the fragments. */
const consume = (value: unknown) => rawKeys(value).forEach((k) => RawQueryFragment.remove(k));
/** A filter with its fragments named by their SQL, comparable. */
const shape = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/ \(#\d+\)/g, ''));

describe('inboxCounts filters before rendering', () => {
  it('leaves out what holds no row, and says when nothing is left', () => {
    const before = registered();
    expect(withoutNothing({ $and: [{ direction: 'INCOMING' }, noRows()] })).toBe(NOTHING);
    expect(withoutNothing({ direction: 'INCOMING', ...noRows() } as Where)).toBe(NOTHING);
    expect(withoutNothing({ $or: [noRows(), { $and: [{ state: 'X' }, noRows()] }] })).toBe(NOTHING);
    expect(withoutNothing({ $or: [noRows(), { state: 'DRAFT' }] })).toEqual({ $or: [{ state: 'DRAFT' }] });
    // An empty list elsewhere than the key, and a $not of nothing (every row), stay as they are.
    expect(withoutNothing({ state: { $in: [] }, $not: noRows() })).toEqual({ state: { $in: [] }, $not: noRows() });
    // The fragments of what is left out are released; those kept stay registered until rendered.
    const kept = withoutNothing({ $or: [{ $and: [exists('a'), noRows()] }, exists('b')] });
    expect(rawKeys(kept)).toHaveLength(1);
    expect(registered()).toBe(before + 1);
    expect(withoutNothing({ $and: [kept as Where, noRows()] })).toBe(NOTHING);
    expect(registered()).toBe(before);
  });

  it('splits a view that is an $or into one filter per branch, each with the readable filter, and none when either holds no row', () => {
    const before = registered();
    const readable = () =>
      ({
        $or: [
          { direction: 'INCOMING', ...exists('me') },
          { direction: 'OUTGOING', drafter: 'me' },
        ],
      }) as Where;
    const view = () => ({ $or: [exists('me'), { direction: 'OUTGOING', state: 'ISSUED' }, noRows()] }) as Where;
    const branches = viewBranches(readable, view)!;
    expect(branches).toHaveLength(2);
    const expected = [{ $and: [readable(), exists('me')] }, { $and: [readable(), { direction: 'OUTGOING', state: 'ISSUED' }] }];
    expect(shape(branches)).toEqual(shape(expected));
    consume(expected);
    // Each branch has fragments of its own (rendering consumes them): no two share one, and none else is left.
    const keys = rawKeys(branches);
    expect(new Set(keys).size).toBe(keys.length);
    expect(registered()).toBe(before + keys.length);
    consume(branches);
    // One condition: one filter, the two together.
    const one = viewBranches(readable, () => ({ state: 'DRAFT' }))!;
    const both = [{ $and: [readable(), { state: 'DRAFT' }] }];
    expect(shape(one)).toEqual(shape(both));
    consume([one, both]);
    expect(viewBranches(readable, () => noRows() as Where)).toBeNull();
    expect(viewBranches(() => noRows() as Where, view)).toBeNull();
    expect(registered()).toBe(before);
  });

  it('writes booleans and enum constants into the text, and keeps ids, dates, numbers and other text as parameters', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const params = [true, 'id-1', 'PENDING', 'IN_PROGRESS', at, 0, "O'x", false];
    expect(withConstants({ sql: 'a = ? and b = ? and c in (?, ?) and d = ? and e = ? and f = ? and g = ?', params })).toEqual({
      sql: "a = true and b = ? and c in ('PENDING', 'IN_PROGRESS') and d = ? and e = ? and f = ? and g = false",
      params: ['id-1', at, 0, "O'x"],
    });
    // Placeholders that do not match the parameters: left as they are.
    const odd = { sql: 'a = ? and b ?? c', params: [true, 'X'] };
    expect(withConstants(odd)).toBe(odd);
  });
});
