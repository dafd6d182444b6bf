-- CreateTable
CREATE TABLE "CredentialReport" (
    "accountId" TEXT NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL,
    "content" TEXT NOT NULL,

    CONSTRAINT "CredentialReport_pkey" PRIMARY KEY ("accountId")
);

-- AddForeignKey
ALTER TABLE "CredentialReport" ADD CONSTRAINT "CredentialReport_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

