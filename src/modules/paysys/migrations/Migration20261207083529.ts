import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261207083529 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_form_signature" ("id" text not null, "callback" text not null, "sign_string" text not null, "fields" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_form_signature_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_form_signature_deleted_at" ON "paysys_form_signature" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_form_signature_sign_string" ON "paysys_form_signature" ("sign_string") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_form_signature" cascade;`)
  }
}
