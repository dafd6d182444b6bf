-- Report-only per account, and the gate's decisions on every audit event.
-- Columns added in place (no table rewrite: the event table can hold millions of rows).
ALTER TABLE "Account" ADD COLUMN "reportOnly" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Account" ADD COLUMN "reportOnlyChangedAt" DATETIME;
ALTER TABLE "AuditEvent" ADD COLUMN "gateDecisions" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "wouldBeDenied" BOOLEAN NOT NULL DEFAULT false;
