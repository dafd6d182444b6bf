-- CreateTable
CREATE TABLE "OutboundWebIdentityFederation" (
    "accountId" TEXT NOT NULL PRIMARY KEY,
    "issuerId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "rsaKeyId" TEXT NOT NULL,
    "rsaPublicKey" TEXT NOT NULL,
    "rsaPrivateKeySealed" TEXT NOT NULL,
    "ecKeyId" TEXT NOT NULL,
    "ecPublicKey" TEXT NOT NULL,
    "ecPrivateKeySealed" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutboundWebIdentityFederation_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboundWebIdentityFederation_issuerId_key" ON "OutboundWebIdentityFederation"("issuerId");

