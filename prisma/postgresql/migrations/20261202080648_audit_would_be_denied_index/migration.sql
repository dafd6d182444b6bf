-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_wouldBeDenied_eventTime_idx" ON "AuditEvent"("recipientAccountId", "wouldBeDenied", "eventTime");

