/**
 * The horizon of this database's writers, as an SQL expression of type xid8: the oldest transaction
 * still running in the statement's snapshot, leaving out those known to belong to another database of
 * the same PostgreSQL server (they write no routing event here), or the snapshot's `xmax` when none
 * is left. Every transaction of this database below it has ended. Both the event hub's reads
 * (src/events/event-hub.ts) and the query's stream position (src/events/stream-position.ts) stop
 * there.
 *
 * A snapshot's `xmin` alone counts every database's transactions: a long transaction in another
 * database (another deployment on the same server, a report, a test file) held the live stream back
 * for as long as it ran, and made the query's position replay events committed well before the data
 * was read. A transaction whose database cannot be seen (another role's session without the right to
 * see it, a prepared transaction) still counts: the horizon errs only towards waiting, never towards
 * a gap. Transaction ids are compared in their 32-bit form (`backend_xid`); two transactions running
 * at once never share it.
 */
export const STREAM_HORIZON = `(select coalesce(
    (select min(x) from pg_snapshot_xip(s.snap) x
      where not exists (select 1 from pg_stat_activity a
                         where a.backend_xid is not null and a.datname is distinct from current_database()
                           and a.backend_xid::text = (x::text::numeric % 4294967296)::text)),
    pg_snapshot_xmax(s.snap))
  from (select pg_current_snapshot() as snap) s)`;
