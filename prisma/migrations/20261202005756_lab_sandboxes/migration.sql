-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "Lab";
PRAGMA foreign_keys=on;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "LabEnrollment";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "LabClass" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerArn" TEXT NOT NULL,
    "ownerOrganizationId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LabSandbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "classId" TEXT,
    "ownerArn" TEXT NOT NULL,
    "ownerOrganizationId" TEXT NOT NULL,
    "learner" TEXT NOT NULL DEFAULT '',
    "signInAccountId" TEXT NOT NULL,
    "signInUserName" TEXT NOT NULL,
    "passwordCiphertext" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    "progress" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "LabSandbox_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabClass" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LabClass_ownerOrganizationId_createdAt_idx" ON "LabClass"("ownerOrganizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LabSandbox_organizationId_key" ON "LabSandbox"("organizationId");

-- CreateIndex
CREATE INDEX "LabSandbox_ownerOrganizationId_startedAt_idx" ON "LabSandbox"("ownerOrganizationId", "startedAt");

-- CreateIndex
CREATE INDEX "LabSandbox_classId_idx" ON "LabSandbox"("classId");

