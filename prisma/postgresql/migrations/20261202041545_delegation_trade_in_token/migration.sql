-- AlterTable
ALTER TABLE "DelegationRequest" ADD COLUMN     "tradeInTokenDigest" TEXT,
ADD COLUMN     "tradeInTokenExpiresAt" TIMESTAMP(3),
ADD COLUMN     "tradeInTokenSealed" TEXT,
ADD COLUMN     "tradeInTokenUsedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "DelegationRequest_tradeInTokenDigest_key" ON "DelegationRequest"("tradeInTokenDigest");

