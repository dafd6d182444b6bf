-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "rootCredentialsManagement" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rootSessions" BOOLEAN NOT NULL DEFAULT false;

