-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Organization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "rootId" TEXT NOT NULL,
    "managementAccountId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rootCredentialsManagement" BOOLEAN NOT NULL DEFAULT false,
    "rootSessions" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Organization" ("createdAt", "id", "managementAccountId", "name", "rootId") SELECT "createdAt", "id", "managementAccountId", "name", "rootId" FROM "Organization";
DROP TABLE "Organization";
ALTER TABLE "new_Organization" RENAME TO "Organization";
CREATE UNIQUE INDEX "Organization_rootId_key" ON "Organization"("rootId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

