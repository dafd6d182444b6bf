-- AlterTable
ALTER TABLE "DelegationRequest" ADD COLUMN "tradeInTokenDigest" TEXT;
ALTER TABLE "DelegationRequest" ADD COLUMN "tradeInTokenExpiresAt" DATETIME;
ALTER TABLE "DelegationRequest" ADD COLUMN "tradeInTokenSealed" TEXT;
ALTER TABLE "DelegationRequest" ADD COLUMN "tradeInTokenUsedAt" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "DelegationRequest_tradeInTokenDigest_key" ON "DelegationRequest"("tradeInTokenDigest");

