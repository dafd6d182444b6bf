-- DropForeignKey
ALTER TABLE "Lab" DROP CONSTRAINT "Lab_organizationId_fkey";

-- DropForeignKey
ALTER TABLE "LabEnrollment" DROP CONSTRAINT "LabEnrollment_labId_fkey";

-- DropTable
DROP TABLE "Lab";

-- DropTable
DROP TABLE "LabEnrollment";

-- CreateTable
CREATE TABLE "LabClass" (
    "id" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerArn" TEXT NOT NULL,
    "ownerOrganizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabSandbox" (
    "id" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "classId" TEXT,
    "ownerArn" TEXT NOT NULL,
    "ownerOrganizationId" TEXT NOT NULL,
    "learner" TEXT NOT NULL DEFAULT '',
    "signInAccountId" TEXT NOT NULL,
    "signInUserName" TEXT NOT NULL,
    "passwordCiphertext" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "progress" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "LabSandbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LabClass_ownerOrganizationId_createdAt_idx" ON "LabClass"("ownerOrganizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LabSandbox_organizationId_key" ON "LabSandbox"("organizationId");

-- CreateIndex
CREATE INDEX "LabSandbox_ownerOrganizationId_startedAt_idx" ON "LabSandbox"("ownerOrganizationId", "startedAt");

-- CreateIndex
CREATE INDEX "LabSandbox_classId_idx" ON "LabSandbox"("classId");

-- AddForeignKey
ALTER TABLE "LabSandbox" ADD CONSTRAINT "LabSandbox_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

