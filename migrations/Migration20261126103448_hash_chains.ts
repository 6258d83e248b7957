import { Migration } from '@mikro-orm/migrations';

const BACKFILL: Array<[string, string, string, string]> = [
  [
    'routing_event',
    'document_id',
    'r.document_id::text',
    `concat_ws('|', prev, r.id, r.document_id, r.type, r.actor_id, r.from_state, r.to_state, r.note, extract(epoch from r.at))`,
  ],
  [
    'account_event',
    'account_id',
    'r.account_id::text',
    `concat_ws('|', prev, r.id, r.account_id, r.actor_id, r.type, r.detail::text, r.reason, extract(epoch from r.at))`,
  ],
  ['permission_change', 'id', "'all'", `concat_ws('|', prev, r.id, r.rule_id, r.change, r.actor_id, r.reason, extract(epoch from r.at))`],
];

/**
 * Tamper-evident history: routing events (chained per document), account events (per account) and
 * permission changes (one chain) carry a SHA-256 over the previous row's hash and their own content,
 * computed by the database on insert. Account events and permission changes become append-only too.
 */
export class Migration20261126103448_hash_chains extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "permission_change" add column "prev_hash" varchar(64) null, add column "hash" varchar(64) null;`);

    this.addSql(`alter table "routing_event" add column "prev_hash" varchar(64) null, add column "hash" varchar(64) null;`);

    this.addSql(`alter table "account_event" add column "prev_hash" varchar(64) null, add column "hash" varchar(64) null;`);
    this.addSql(`create or replace function "chain_routing_event"() returns trigger language plpgsql as $$
      begin
        select hash into new.prev_hash from "routing_event" where document_id = new.document_id order by id desc limit 1;
        new.prev_hash := coalesce(new.prev_hash, '');
        new.hash := encode(sha256(convert_to(concat_ws('|', new.prev_hash, new.id, new.document_id, new.type, new.actor_id, new.from_state, new.to_state, new.note, extract(epoch from new.at)), 'UTF8')), 'hex');
        return new;
      end $$;`);
    this.addSql(`create trigger "routing_event_chain" before insert on "routing_event" for each row execute function "chain_routing_event"();`);
    this.addSql(`create or replace function "chain_account_event"() returns trigger language plpgsql as $$
      begin
        select hash into new.prev_hash from "account_event" where account_id = new.account_id order by id desc limit 1;
        new.prev_hash := coalesce(new.prev_hash, '');
        new.hash := encode(sha256(convert_to(concat_ws('|', new.prev_hash, new.id, new.account_id, new.actor_id, new.type, new.detail::text, new.reason, extract(epoch from new.at)), 'UTF8')), 'hex');
        return new;
      end $$;`);
    this.addSql(`create trigger "account_event_chain" before insert on "account_event" for each row execute function "chain_account_event"();`);
    this.addSql(`create or replace function "chain_permission_change"() returns trigger language plpgsql as $$
      begin
        select hash into new.prev_hash from "permission_change" order by id desc limit 1;
        new.prev_hash := coalesce(new.prev_hash, '');
        new.hash := encode(sha256(convert_to(concat_ws('|', new.prev_hash, new.id, new.rule_id, new.change, new.actor_id, new.reason, extract(epoch from new.at)), 'UTF8')), 'hex');
        return new;
      end $$;`);
    this.addSql(`create trigger "permission_change_chain" before insert on "permission_change" for each row execute function "chain_permission_change"();`);
    // Existing rows join their chains in id order (the triggers only see new rows).
    for (const [table, order, part, content] of BACKFILL) {
      this.addSql(`alter table "${table}" disable trigger user;`);
      this.addSql(`do $$ declare r record; prev text; last_part text; begin
        for r in select * from "${table}" order by ${order}, id loop
          if last_part is distinct from ${part} then prev := ''; end if;
          update "${table}" set prev_hash = prev, hash = encode(sha256(convert_to(${content}, 'UTF8')), 'hex') where id = r.id returning hash into prev;
          last_part := ${part};
        end loop; end $$;`);
      this.addSql(`alter table "${table}" enable trigger user;`);
    }
    this.addSql(
      `create trigger "account_event_append_only" before update or delete on "account_event" for each row execute function "forbid_history_change"();`,
    );
    this.addSql(`create trigger "account_event_no_truncate" before truncate on "account_event" for each statement execute function "forbid_history_change"();`);
    this.addSql(
      `create trigger "permission_change_append_only" before update or delete on "permission_change" for each row execute function "forbid_history_change"();`,
    );
    this.addSql(
      `create trigger "permission_change_no_truncate" before truncate on "permission_change" for each statement execute function "forbid_history_change"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account_event" drop column "prev_hash", drop column "hash";`);

    this.addSql(`alter table "permission_change" drop column "prev_hash", drop column "hash";`);

    this.addSql(`alter table "routing_event" drop column "prev_hash", drop column "hash";`);
  }
}
