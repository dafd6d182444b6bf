-- CreateTable
CREATE TABLE "MultipartUpload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bucketName" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "contentType" TEXT NOT NULL DEFAULT 'binary/octet-stream',
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "initiatorArn" TEXT NOT NULL,
    "initiatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MultipartUpload_bucketName_fkey" FOREIGN KEY ("bucketName") REFERENCES "Bucket" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MultipartPart" (
    "uploadId" TEXT NOT NULL,
    "partNumber" INTEGER NOT NULL,
    "blobId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "etag" TEXT NOT NULL,
    "lastModified" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("uploadId", "partNumber"),
    CONSTRAINT "MultipartPart_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "MultipartUpload" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Bucket" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'us-east-1',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "policy" TEXT,
    "blockPublicAcls" BOOLEAN NOT NULL DEFAULT true,
    "ignorePublicAcls" BOOLEAN NOT NULL DEFAULT true,
    "blockPublicPolicy" BOOLEAN NOT NULL DEFAULT true,
    "restrictPublicBuckets" BOOLEAN NOT NULL DEFAULT true,
    "loggingTargetBucket" TEXT,
    "loggingTargetPrefix" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "cors" TEXT,
    "lifecycle" TEXT,
    "versioning" TEXT,
    CONSTRAINT "Bucket_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Bucket_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Bucket" ("accountId", "blockPublicAcls", "blockPublicPolicy", "createdAt", "ignorePublicAcls", "loggingTargetBucket", "loggingTargetPrefix", "name", "organizationId", "policy", "region", "restrictPublicBuckets") SELECT "accountId", "blockPublicAcls", "blockPublicPolicy", "createdAt", "ignorePublicAcls", "loggingTargetBucket", "loggingTargetPrefix", "name", "organizationId", "policy", "region", "restrictPublicBuckets" FROM "Bucket";
DROP TABLE "Bucket";
ALTER TABLE "new_Bucket" RENAME TO "Bucket";
CREATE INDEX "Bucket_accountId_name_idx" ON "Bucket"("accountId", "name");
CREATE TABLE "new_S3Object" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bucketName" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "blobId" TEXT,
    "body" BLOB,
    "size" INTEGER NOT NULL,
    "etag" TEXT NOT NULL,
    "contentType" TEXT NOT NULL DEFAULT 'binary/octet-stream',
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "storageClass" TEXT NOT NULL DEFAULT 'STANDARD',
    "lastModified" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tags" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "S3Object_bucketName_fkey" FOREIGN KEY ("bucketName") REFERENCES "Bucket" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_S3Object" ("body", "bucketName", "contentType", "etag", "id", "key", "lastModified", "metadata", "size", "storageClass") SELECT "body", "bucketName", "contentType", "etag", "id", "key", "lastModified", "metadata", "size", "storageClass" FROM "S3Object";
DROP TABLE "S3Object";
ALTER TABLE "new_S3Object" RENAME TO "S3Object";
CREATE INDEX "S3Object_blobId_idx" ON "S3Object"("blobId");
CREATE UNIQUE INDEX "S3Object_bucketName_key_key" ON "S3Object"("bucketName", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "MultipartUpload_bucketName_key_initiatedAt_idx" ON "MultipartUpload"("bucketName", "key", "initiatedAt");

-- CreateIndex
CREATE INDEX "MultipartPart_blobId_idx" ON "MultipartPart"("blobId");

