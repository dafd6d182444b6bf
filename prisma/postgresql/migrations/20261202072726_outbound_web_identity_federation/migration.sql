-- CreateTable
CREATE TABLE "OutboundWebIdentityFederation" (
    "accountId" TEXT NOT NULL,
    "issuerId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "rsaKeyId" TEXT NOT NULL,
    "rsaPublicKey" TEXT NOT NULL,
    "rsaPrivateKeySealed" TEXT NOT NULL,
    "ecKeyId" TEXT NOT NULL,
    "ecPublicKey" TEXT NOT NULL,
    "ecPrivateKeySealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundWebIdentityFederation_pkey" PRIMARY KEY ("accountId")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboundWebIdentityFederation_issuerId_key" ON "OutboundWebIdentityFederation"("issuerId");

-- AddForeignKey
ALTER TABLE "OutboundWebIdentityFederation" ADD CONSTRAINT "OutboundWebIdentityFederation_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

