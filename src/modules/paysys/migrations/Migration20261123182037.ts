import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123182037 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_notification" ("id" text not null, "kind" text check ("kind" in ('payment_status', 'card_registration')) not null, "dedupe_key" text not null, "partner_trans_id" text null, "transaction_id" text null, "card_id" text null, "reported_status" text not null, "amount" text null, "currency" text null, "card_masked" text null, "error_code" integer null, "error_message" text null, "paysys_date" text null, "deliveries" integer not null default 1, "attempts" integer not null default 0, "processed_at" timestamptz null, "outcome" text null, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_notification_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_notification_deleted_at" ON "paysys_notification" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_notification_dedupe_key" ON "paysys_notification" ("dedupe_key") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_notification_partner_trans_id" ON "paysys_notification" ("partner_trans_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_notification_unprocessed" ON "paysys_notification" ("created_at") WHERE processed_at IS NULL AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_notification" cascade;`)
  }
}
