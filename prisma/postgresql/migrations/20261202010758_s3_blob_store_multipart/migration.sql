-- AlterTable
ALTER TABLE "Bucket" ADD COLUMN     "cors" TEXT,
ADD COLUMN     "lifecycle" TEXT,
ADD COLUMN     "tags" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "versioning" TEXT;

-- AlterTable
ALTER TABLE "S3Object" ADD COLUMN     "blobId" TEXT,
ADD COLUMN     "tags" TEXT NOT NULL DEFAULT '[]',
ALTER COLUMN "body" DROP NOT NULL;

-- CreateTable
CREATE TABLE "MultipartUpload" (
    "id" TEXT NOT NULL,
    "bucketName" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "contentType" TEXT NOT NULL DEFAULT 'binary/octet-stream',
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "initiatorArn" TEXT NOT NULL,
    "initiatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MultipartUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MultipartPart" (
    "uploadId" TEXT NOT NULL,
    "partNumber" INTEGER NOT NULL,
    "blobId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "etag" TEXT NOT NULL,
    "lastModified" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MultipartPart_pkey" PRIMARY KEY ("uploadId","partNumber")
);

-- CreateIndex
CREATE INDEX "MultipartUpload_bucketName_key_initiatedAt_idx" ON "MultipartUpload"("bucketName", "key", "initiatedAt");

-- CreateIndex
CREATE INDEX "MultipartPart_blobId_idx" ON "MultipartPart"("blobId");

-- CreateIndex
CREATE INDEX "S3Object_blobId_idx" ON "S3Object"("blobId");

-- AddForeignKey
ALTER TABLE "MultipartUpload" ADD CONSTRAINT "MultipartUpload_bucketName_fkey" FOREIGN KEY ("bucketName") REFERENCES "Bucket"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MultipartPart" ADD CONSTRAINT "MultipartPart_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "MultipartUpload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

