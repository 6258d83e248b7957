import { Migration } from '@mikro-orm/migrations';

/** Live routing events: the writer's transaction id orders delivery; a NOTIFY on commit wakes every server process. */
export class Migration20261126094219_live_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "routing_event" add column "txid" xid8 not null default pg_current_xact_id();`);
    this.addSql(`create index "routing_event_position_index" on "routing_event" ("txid", "id");`);
    // A wake-up only, never the payload: readers take the events from the table. Delivered on commit.
    this.addSql(`create or replace function "notify_routing_event"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('vpdt_routing_event', '');
        return null;
      end $$;`);
    this.addSql(`create trigger "routing_event_notify" after insert on "routing_event" for each statement execute function "notify_routing_event"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "routing_event_notify" on "routing_event";`);
    this.addSql(`drop function if exists "notify_routing_event"();`);
    this.addSql(`drop index "routing_event_position_index";`);
    this.addSql(`alter table "routing_event" drop column "txid";`);
  }
}
