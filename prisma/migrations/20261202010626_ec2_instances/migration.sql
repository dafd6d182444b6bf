-- CreateTable
CREATE TABLE "Ec2Instance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "instanceType" TEXT NOT NULL DEFAULT 't3.micro',
    "imageId" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'us-east-1',
    "instanceProfileArn" TEXT,
    "state" TEXT NOT NULL DEFAULT 'running',
    "imdsPort" INTEGER,
    "launchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "terminatedAt" DATETIME,
    "credentialsSessionId" TEXT,
    "credentialsCiphertext" TEXT,
    CONSTRAINT "Ec2Instance_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Ec2Instance_imdsPort_key" ON "Ec2Instance"("imdsPort");

-- CreateIndex
CREATE INDEX "Ec2Instance_accountId_launchedAt_idx" ON "Ec2Instance"("accountId", "launchedAt");

