-- AlterTable
ALTER TABLE "Bucket" ADD COLUMN     "encryption" TEXT,
ADD COLUMN     "objectOwnership" TEXT DEFAULT 'BucketOwnerEnforced';

