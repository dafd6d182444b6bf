-- CreateTable
CREATE TABLE "S3ObjectPart" (
    "objectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "blobId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,

    PRIMARY KEY ("objectId", "position"),
    CONSTRAINT "S3ObjectPart_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "S3Object" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "S3ObjectPart_blobId_idx" ON "S3ObjectPart"("blobId");

