import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fees (issue 9 §3; seed 001 text 3 art. 13, 19 (二), 20): the matter's catalogue fees carried with the case, the fee
 * determination a handler's completion carries (pending, then recorded per case), the payment request (缴费通知书)
 * the flow issues before it waits, and the confirmed payment with the state of its correlation to the engine.
 */
export class Fees1764900000500 implements MigrationInterface {
  name = 'Fees1764900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN catalogue_fees jsonb`);
    await q.query(`ALTER TABLE pending_completions ADD COLUMN fees jsonb`);
    await q.query(`
      CREATE TABLE fee_determinations (
        case_number text PRIMARY KEY,
        completion_id uuid NOT NULL,
        step_id text NOT NULL,
        items jsonb NOT NULL,
        total_fen integer NOT NULL,
        payment_days integer,
        determined_by text NOT NULL,
        determined_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE payment_requests (
        case_number text PRIMARY KEY,
        process_instance_id text NOT NULL,
        items jsonb NOT NULL,
        total_fen integer NOT NULL,
        period text NOT NULL,
        deadline timestamptz NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL,
        CONSTRAINT payment_requests_status_check CHECK (status IN ('requested', 'paid'))
      )`);
    await q.query(`
      CREATE TABLE fee_payments (
        id uuid PRIMARY KEY,
        case_number text NOT NULL,
        amount_fen integer NOT NULL,
        channel text NOT NULL,
        reference text NOT NULL,
        confirmed_by text,
        paid_at timestamptz NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        correlation text NOT NULL,
        correlation_attempts integer NOT NULL DEFAULT 0,
        correlated_at timestamptz,
        correlation_error text,
        CONSTRAINT fee_payments_case_number_key UNIQUE (case_number),
        CONSTRAINT fee_payments_channel_check CHECK (channel IN ('window', 'gateway')),
        CONSTRAINT fee_payments_correlation_check CHECK (correlation IN ('pending', 'correlated', 'too-late'))
      )`);
    await q.query(`CREATE INDEX fee_payments_correlation_pending ON fee_payments (paid_at) WHERE correlation = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fee_payments`);
    await q.query(`DROP TABLE payment_requests`);
    await q.query(`DROP TABLE fee_determinations`);
    await q.query(`ALTER TABLE pending_completions DROP COLUMN fees`);
    await q.query(`ALTER TABLE cases DROP COLUMN catalogue_fees`);
  }
}
