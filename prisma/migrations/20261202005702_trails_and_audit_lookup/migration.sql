-- DropIndex
DROP INDEX "AuditEvent_recipientAccountId_eventTime_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "resourceName" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "resourceType" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "roleName" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "roleSessionName" TEXT;

-- CreateTable
CREATE TABLE "Trail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "includeManagementEvents" BOOLEAN NOT NULL DEFAULT true,
    "managementReadWriteType" TEXT NOT NULL DEFAULT 'All',
    "isLogging" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Trail_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TrailDataSelector" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trailId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "readWriteType" TEXT NOT NULL DEFAULT 'All',
    CONSTRAINT "TrailDataSelector_trailId_fkey" FOREIGN KEY ("trailId") REFERENCES "Trail" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Trail_accountId_name_key" ON "Trail"("accountId", "name");

-- CreateIndex
CREATE INDEX "TrailDataSelector_accountId_bucket_idx" ON "TrailDataSelector"("accountId", "bucket");

-- CreateIndex
CREATE INDEX "TrailDataSelector_trailId_idx" ON "TrailDataSelector"("trailId");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_eventTime_id_idx" ON "AuditEvent"("recipientAccountId", "eventTime", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_identityUserName_eventTime_idx" ON "AuditEvent"("recipientAccountId", "identityUserName", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_roleName_eventTime_idx" ON "AuditEvent"("recipientAccountId", "roleName", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_roleSessionName_eventTime_idx" ON "AuditEvent"("recipientAccountId", "roleSessionName", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_identityAccessKeyId_eventTime_idx" ON "AuditEvent"("recipientAccountId", "identityAccessKeyId", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_resourceName_eventTime_idx" ON "AuditEvent"("recipientAccountId", "resourceName", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_resourceType_eventTime_idx" ON "AuditEvent"("recipientAccountId", "resourceType", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_readOnly_eventTime_idx" ON "AuditEvent"("recipientAccountId", "readOnly", "eventTime");

