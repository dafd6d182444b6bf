-- AlterTable
ALTER TABLE "Bucket" ADD COLUMN "encryption" TEXT;
ALTER TABLE "Bucket" ADD COLUMN "objectOwnership" TEXT DEFAULT 'BucketOwnerEnforced';

