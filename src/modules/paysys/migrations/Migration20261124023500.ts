import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261124023500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "paysys_attempt" add column if not exists "vendor_trans_id" serial, add column if not exists "form" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "paysys_attempt" drop column if exists "vendor_trans_id", drop column if exists "form";`
    )
  }
}
