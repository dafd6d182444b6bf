-- DropIndex
DROP INDEX "IamUser_accountId_createdAt_idx";

-- DropIndex
DROP INDEX "IamUser_accountId_lastActivityAt_idx";

-- CreateIndex
CREATE INDEX "IamUser_accountId_createdAt_id_idx" ON "IamUser"("accountId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "IamUser_accountId_lastActivityAt_id_idx" ON "IamUser"("accountId", "lastActivityAt", "id");

