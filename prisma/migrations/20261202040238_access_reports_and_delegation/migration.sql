-- CreateTable
CREATE TABLE "AccessReportJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "callerArn" TEXT NOT NULL,
    "entityArn" TEXT NOT NULL,
    "granularity" TEXT,
    "policyId" TEXT,
    "status" TEXT NOT NULL,
    "report" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "AccessReportJob_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DelegationRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestorAccountId" TEXT NOT NULL,
    "requestorName" TEXT NOT NULL,
    "requestorWorkflowId" TEXT NOT NULL,
    "ownerAccountId" TEXT,
    "ownerId" TEXT,
    "approverId" TEXT,
    "description" TEXT NOT NULL,
    "requestMessage" TEXT,
    "permissions" TEXT NOT NULL,
    "permissionPolicy" TEXT,
    "redirectUrl" TEXT,
    "notificationChannel" TEXT NOT NULL,
    "sessionDuration" INTEGER NOT NULL,
    "onlySendByOwner" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "notes" TEXT,
    "rejectionReason" TEXT,
    "tokenSentAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DelegationRequest_requestorAccountId_fkey" FOREIGN KEY ("requestorAccountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "ouId" TEXT,
    "name" TEXT NOT NULL,
    "alias" TEXT,
    "color" TEXT NOT NULL DEFAULT '#2563eb',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rootEmail" TEXT NOT NULL,
    "rootPasswordHash" TEXT NOT NULL,
    "rootPasswordChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rootPasswordLastUsed" DATETIME,
    "stsGlobalEndpointTokenVersion" TEXT NOT NULL DEFAULT 'v1Token',
    CONSTRAINT "Account_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Account_ouId_fkey" FOREIGN KEY ("ouId") REFERENCES "OrganizationalUnit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Account" ("alias", "color", "createdAt", "id", "name", "organizationId", "ouId", "rootEmail", "rootPasswordChangedAt", "rootPasswordHash", "rootPasswordLastUsed") SELECT "alias", "color", "createdAt", "id", "name", "organizationId", "ouId", "rootEmail", "rootPasswordChangedAt", "rootPasswordHash", "rootPasswordLastUsed" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
CREATE UNIQUE INDEX "Account_alias_key" ON "Account"("alias");
CREATE UNIQUE INDEX "Account_rootEmail_key" ON "Account"("rootEmail");
CREATE INDEX "Account_organizationId_idx" ON "Account"("organizationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AccessReportJob_accountId_createdAt_idx" ON "AccessReportJob"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "DelegationRequest_ownerAccountId_createdAt_idx" ON "DelegationRequest"("ownerAccountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DelegationRequest_requestorAccountId_requestorWorkflowId_key" ON "DelegationRequest"("requestorAccountId", "requestorWorkflowId");

