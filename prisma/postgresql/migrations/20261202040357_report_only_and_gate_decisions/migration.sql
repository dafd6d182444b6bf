-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "reportOnly" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reportOnlyChangedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "gateDecisions" TEXT,
ADD COLUMN     "wouldBeDenied" BOOLEAN NOT NULL DEFAULT false;

