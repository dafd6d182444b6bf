-- CreateTable
CREATE TABLE "SamlProvider" (
    "arn" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "metadataDocument" TEXT NOT NULL,
    "validUntil" TIMESTAMP(3),
    "assertionEncryptionMode" TEXT,
    "privateKeys" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SamlProvider_pkey" PRIMARY KEY ("arn")
);

-- CreateTable
CREATE TABLE "OidcProvider" (
    "arn" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "clientIds" TEXT NOT NULL DEFAULT '[]',
    "thumbprints" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcProvider_pkey" PRIMARY KEY ("arn")
);

-- CreateTable
CREATE TABLE "SshPublicKey" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SshPublicKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningCertificate" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "userId" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceSpecificCredential" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "serviceName" TEXT NOT NULL,
    "serviceUserName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ServiceSpecificCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerCertificate" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "chain" TEXT,
    "privateKeyCiphertext" TEXT NOT NULL,
    "expiration" TIMESTAMP(3) NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SamlProvider_uuid_key" ON "SamlProvider"("uuid");

-- CreateIndex
CREATE INDEX "SamlProvider_accountId_idx" ON "SamlProvider"("accountId");

-- CreateIndex
CREATE INDEX "OidcProvider_accountId_idx" ON "OidcProvider"("accountId");

-- CreateIndex
CREATE INDEX "SshPublicKey_userId_idx" ON "SshPublicKey"("userId");

-- CreateIndex
CREATE INDEX "SigningCertificate_accountId_userId_idx" ON "SigningCertificate"("accountId", "userId");

-- CreateIndex
CREATE INDEX "ServiceSpecificCredential_userId_serviceName_idx" ON "ServiceSpecificCredential"("userId", "serviceName");

-- CreateIndex
CREATE UNIQUE INDEX "ServerCertificate_arn_key" ON "ServerCertificate"("arn");

-- CreateIndex
CREATE INDEX "ServerCertificate_accountId_path_nameLower_idx" ON "ServerCertificate"("accountId", "path", "nameLower");

-- CreateIndex
CREATE UNIQUE INDEX "ServerCertificate_accountId_nameLower_key" ON "ServerCertificate"("accountId", "nameLower");

-- AddForeignKey
ALTER TABLE "SamlProvider" ADD CONSTRAINT "SamlProvider_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OidcProvider" ADD CONSTRAINT "OidcProvider_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SshPublicKey" ADD CONSTRAINT "SshPublicKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningCertificate" ADD CONSTRAINT "SigningCertificate_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningCertificate" ADD CONSTRAINT "SigningCertificate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceSpecificCredential" ADD CONSTRAINT "ServiceSpecificCredential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerCertificate" ADD CONSTRAINT "ServerCertificate_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

