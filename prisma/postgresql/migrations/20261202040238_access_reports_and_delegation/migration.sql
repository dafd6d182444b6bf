-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "stsGlobalEndpointTokenVersion" TEXT NOT NULL DEFAULT 'v1Token';

-- CreateTable
CREATE TABLE "AccessReportJob" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "AccessReportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DelegationRequest" (
    "id" TEXT NOT NULL,
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
    "tokenSentAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DelegationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessReportJob_accountId_createdAt_idx" ON "AccessReportJob"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "DelegationRequest_ownerAccountId_createdAt_idx" ON "DelegationRequest"("ownerAccountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DelegationRequest_requestorAccountId_requestorWorkflowId_key" ON "DelegationRequest"("requestorAccountId", "requestorWorkflowId");

-- AddForeignKey
ALTER TABLE "AccessReportJob" ADD CONSTRAINT "AccessReportJob_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelegationRequest" ADD CONSTRAINT "DelegationRequest_requestorAccountId_fkey" FOREIGN KEY ("requestorAccountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

