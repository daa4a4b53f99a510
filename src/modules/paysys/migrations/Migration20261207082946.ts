import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261207082946 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_saved_card_session" ("id" text not null, "session_id" text not null, "saved_card_id" text not null, "customer_id" text not null, "cart_id" text null, "amount" text not null, "currency" text not null, "shipping_address_digest" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_saved_card_session_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_saved_card_session_deleted_at" ON "paysys_saved_card_session" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_saved_card_session_session_id" ON "paysys_saved_card_session" ("session_id") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_saved_card_session" cascade;`)
  }
}
