import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123183217 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_saved_card" ("id" text not null, "card_id" text not null, "customer_id" text not null, "status" text check ("status" in ('pending', 'active', 'failed', 'removed')) not null default 'pending', "masked_pan" text not null, "brand" text null, "expiry" text null, "token_encrypted" text null, "error_code" integer null, "error_message" text null, "activated_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_saved_card_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_saved_card_deleted_at" ON "paysys_saved_card" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_saved_card_card_id" ON "paysys_saved_card" ("card_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_saved_card_customer_id" ON "paysys_saved_card" ("customer_id") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_saved_card" cascade;`)
  }
}
