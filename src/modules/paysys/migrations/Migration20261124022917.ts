import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261124022917 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "paysys_attempt" ("id" text not null, "partner_trans_id" text not null, "provider_id" text not null, "kind" text check ("kind" in ('card', 'saved_card', 'form')) not null, "session_id" text not null, "payment_collection_id" text not null, "cart_id" text null, "amount" text not null, "currency" text not null, "saved_card_id" text null, "state" text check ("state" in ('sending', 'open', 'paid', 'captured', 'failed', 'never_sent', 'reversing', 'reversed', 'attention')) not null default 'sending', "paysys_status" integer null, "transaction_id" text null, "agr_trans_id" text null, "payment_id" text null, "outcome" text null, "sent_at" timestamptz null, "paid_at" timestamptz null, "claimed_at" timestamptz null, "next_check_at" timestamptz null, "checks" integer not null default 0, "last_error" text null, "bank" jsonb null, "history" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_attempt_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_deleted_at" ON "paysys_attempt" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_attempt_partner_trans_id" ON "paysys_attempt" ("partner_trans_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_session_id" ON "paysys_attempt" ("session_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_payment_id" ON "paysys_attempt" ("payment_id") WHERE payment_id IS NOT NULL AND deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_attempt_agr_trans_id" ON "paysys_attempt" ("agr_trans_id") WHERE agr_trans_id IS NOT NULL AND deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_due" ON "paysys_attempt" ("next_check_at") WHERE next_check_at IS NOT NULL AND deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "paysys_refund" ("id" text not null, "attempt_id" text not null, "partner_trans_id" text not null, "key" text not null, "kind" text check ("kind" in ('refund', 'cancel')) not null, "origin" text check ("origin" in ('medusa', 'reconciliation', 'external')) not null, "amount" text not null, "currency" text not null, "state" text check ("state" in ('sending', 'accepted', 'refused', 'unknown')) not null default 'sending', "status_before" integer null, "booked_as" text null, "error" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "paysys_refund_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_refund_deleted_at" ON "paysys_refund" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_refund_key" ON "paysys_refund" ("key") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_refund_attempt_id" ON "paysys_refund" ("attempt_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_paysys_refund_in_flight" ON "paysys_refund" ("attempt_id") WHERE state IN ('sending', 'unknown') AND deleted_at IS NULL;`
    )

    this.addSql(
      `alter table if exists "paysys_notification" add column if not exists "next_attempt_at" timestamptz null, add column if not exists "parked_at" timestamptz null;`
    )
    this.addSql(`DROP INDEX IF EXISTS "IDX_paysys_notification_unprocessed";`)
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_notification_unprocessed" ON "paysys_notification" ("next_attempt_at") WHERE processed_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL;`
    )

    // Sessions and payments made before the ledger: every attempt they may have sent (1..n of
    // each PaySys session, deleted ones too) becomes a row to check, so reconciliation settles
    // them like new ones; refunds recorded in payment data become booked refund rows.
    this.addSql(`DO $$ BEGIN
      IF to_regclass('public.payment_session') IS NOT NULL THEN
        INSERT INTO "paysys_attempt" ("id", "partner_trans_id", "provider_id", "kind", "session_id", "payment_collection_id", "amount", "currency", "saved_card_id", "state", "transaction_id", "sent_at", "next_check_at", "history")
        SELECT 'psatt_' || md5(s.id || '-' || n), s.id || '-' || n, s.provider_id,
               CASE WHEN s.data->>'saved_card_id' IS NULL THEN 'card' ELSE 'saved_card' END,
               s.id, s.payment_collection_id, s.data->>'amount', s.data->>'currency', s.data->>'saved_card_id', 'sending',
               CASE WHEN n = (s.data->>'attempt')::int THEN s.data->>'transaction_id' END,
               coalesce((s.data->>'submitted_at')::timestamptz, s.created_at), now(),
               jsonb_build_array(jsonb_build_object('at', now(), 'event', 'recorded from the payment session (before the ledger)'))
        FROM "payment_session" s
        CROSS JOIN LATERAL generate_series(1, (s.data->>'attempt')::int) AS n
        WHERE s.provider_id LIKE 'pp_paysys_%' AND s.data ? 'partner_trans_id' AND s.data ? 'amount'
          AND (n < (s.data->>'attempt')::int OR s.data->>'submitted_at' IS NOT NULL)
        ON CONFLICT DO NOTHING;
      END IF;
      IF to_regclass('public.payment') IS NOT NULL THEN
        INSERT INTO "paysys_refund" ("id", "attempt_id", "partner_trans_id", "key", "kind", "origin", "amount", "currency", "state", "booked_as")
        SELECT 'psref_' || md5(r->>'key'), a.id, a.partner_trans_id, r->>'key',
               CASE WHEN r->>'via' = 'cancel' THEN 'cancel' ELSE 'refund' END,
               CASE WHEN r->>'via' = 'paysys' THEN 'external' ELSE 'medusa' END,
               r->>'amount', a.currency, 'accepted', r->>'key'
        FROM "payment" p
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(p.data->'refunds', '[]'::jsonb)) AS r
        JOIN "paysys_attempt" a ON a.partner_trans_id = p.data->>'partner_trans_id'
        WHERE p.provider_id LIKE 'pp_paysys_%' AND p.deleted_at IS NULL
        ON CONFLICT DO NOTHING;
      END IF;
    END $$;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_attempt" cascade;`)

    this.addSql(`drop table if exists "paysys_refund" cascade;`)

    this.addSql(
      `alter table if exists "paysys_notification" drop column if exists "next_attempt_at", drop column if exists "parked_at";`
    )
  }
}
