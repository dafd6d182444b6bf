-- CreateTable
CREATE TABLE "CredentialReport" (
    "accountId" TEXT NOT NULL PRIMARY KEY,
    "generatedAt" DATETIME NOT NULL,
    "content" TEXT NOT NULL,
    CONSTRAINT "CredentialReport_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

