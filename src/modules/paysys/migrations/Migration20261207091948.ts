import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261207091948 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_alert" ("id" text not null, "item_key" text not null, "kind" text not null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_alert_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_alert_deleted_at" ON "paysys_alert" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_alert_item_key" ON "paysys_alert" ("item_key") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "paysys_reconcile_run" ("id" text not null, "started_at" timestamptz not null, "duration_ms" integer not null, "notifications" integer not null default 0, "attempts" integer not null default 0, "failed" integer not null default 0, "expired_cards" integer not null default 0, "skipped" boolean not null default false, "budget_spent" boolean not null default false, "paysys_errors" integer not null default 0, "rate_refusals" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_reconcile_run_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_reconcile_run_deleted_at" ON "paysys_reconcile_run" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_reconcile_run_started_at" ON "paysys_reconcile_run" ("started_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_needs_merchant" ON "paysys_attempt" ("updated_at") WHERE (state = 'attention' OR outcome = 'refund_unexplained') AND deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_created_at" ON "paysys_attempt" ("created_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `alter table if exists "paysys_notification" add column if not exists "retried_by" text null, add column if not exists "retried_at" timestamptz null;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_notification_parked" ON "paysys_notification" ("parked_at") WHERE parked_at IS NOT NULL AND processed_at IS NULL AND deleted_at IS NULL;`
    )

    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_refund_created_at" ON "paysys_refund" ("created_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_refund_in_doubt" ON "paysys_refund" ("updated_at") WHERE state = 'unknown' AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_alert" cascade;`)

    this.addSql(`drop table if exists "paysys_reconcile_run" cascade;`)

    this.addSql(`drop index if exists "IDX_paysys_attempt_needs_merchant";`)
    this.addSql(`drop index if exists "IDX_paysys_attempt_created_at";`)

    this.addSql(`drop index if exists "IDX_paysys_notification_parked";`)
    this.addSql(
      `alter table if exists "paysys_notification" drop column if exists "retried_by", drop column if exists "retried_at";`
    )

    this.addSql(`drop index if exists "IDX_paysys_refund_created_at";`)
    this.addSql(`drop index if exists "IDX_paysys_refund_in_doubt";`)
  }
}
