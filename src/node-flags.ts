/**
 * The V8 options the server runs with (`npm start`, the workers of WORKERS > 1, the bench). They size
 * the heap's young generation: with V8's default (16 MB semi-spaces on 64-bit) a burst of live events
 * to thousands of sockets promoted the short-lived promises and messages of every delivery to the old
 * generation, and garbage collection took 38 % of the server's CPU. With 32 MB the fan-out bench spent
 * 35 µs of server CPU per delivered event instead of 51, and the server's RSS with 5,000 open
 * subscriptions was 399 MB instead of 501 (docs/performance.md, session 7). Set once, when the process
 * starts: V8 reads them when it creates the heap.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/** `execArgv` with every server flag it does not set already (an operator's own value of a flag is kept). */
export function withServerFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split('=')[0].replace(/_/g, '-');
  const set = new Set(execArgv.map(name));
  return [...execArgv, ...SERVER_NODE_FLAGS.filter((f) => !set.has(name(f)))];
}
