-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rootId" TEXT NOT NULL,
    "managementAccountId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganizationalUnit" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "parentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganizationalUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "ouId" TEXT,
    "name" TEXT NOT NULL,
    "alias" TEXT,
    "color" TEXT NOT NULL DEFAULT '#2563eb',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rootEmail" TEXT NOT NULL,
    "rootPasswordHash" TEXT NOT NULL,
    "rootPasswordChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rootPasswordLastUsed" TIMESTAMP(3),

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PasswordPolicy" (
    "accountId" TEXT NOT NULL,
    "minimumPasswordLength" INTEGER NOT NULL DEFAULT 8,
    "requireSymbols" BOOLEAN NOT NULL DEFAULT false,
    "requireNumbers" BOOLEAN NOT NULL DEFAULT false,
    "requireUppercaseCharacters" BOOLEAN NOT NULL DEFAULT false,
    "requireLowercaseCharacters" BOOLEAN NOT NULL DEFAULT false,
    "allowUsersToChangePassword" BOOLEAN NOT NULL DEFAULT true,
    "maxPasswordAge" INTEGER,
    "passwordReusePrevention" INTEGER,
    "hardExpiry" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PasswordPolicy_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "IamUser" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastActivityAt" TIMESTAMP(3),
    "permissionsBoundaryPolicyId" TEXT,

    CONSTRAINT "IamUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginProfile" (
    "userId" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "passwordResetRequired" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passwordLastChanged" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passwordLastUsed" TIMESTAMP(3),

    CONSTRAINT "LoginProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "PasswordHistory" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "userId" TEXT,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IamGroup" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IamGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMembership" (
    "groupId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupMembership_pkey" PRIMARY KEY ("groupId","userId")
);

-- CreateTable
CREATE TABLE "Role" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "trustPolicy" TEXT NOT NULL,
    "maxSessionDuration" INTEGER NOT NULL DEFAULT 3600,
    "permissionsBoundaryPolicyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedRegion" TEXT,
    "consoleColor" TEXT,

    CONSTRAINT "Role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceProfile" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstanceProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceProfileRole" (
    "instanceProfileId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,

    CONSTRAINT "InstanceProfileRole_pkey" PRIMARY KEY ("instanceProfileId","roleId")
);

-- CreateTable
CREATE TABLE "ManagedPolicy" (
    "id" TEXT NOT NULL,
    "accountId" TEXT,
    "name" TEXT NOT NULL,
    "nameLower" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "arn" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "defaultVersionId" TEXT NOT NULL DEFAULT 'v1',
    "nextVersionNumber" INTEGER NOT NULL DEFAULT 2,
    "isAttachable" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ManagedPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyAttachment" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "userId" TEXT,
    "groupId" TEXT,
    "roleId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InlinePolicy" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userId" TEXT,
    "groupId" TEXT,
    "roleId" TEXT,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InlinePolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "resourceArn" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "keyLower" TEXT NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessKey" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "userId" TEXT,
    "secretCiphertext" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedService" TEXT,
    "lastUsedRegion" TEXT,

    CONSTRAINT "AccessKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MfaDevice" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '/',
    "userId" TEXT,
    "forRoot" BOOLEAN NOT NULL DEFAULT false,
    "seedCiphertext" TEXT NOT NULL,
    "enabledAt" TIMESTAMP(3),
    "lastUsedWindow" INTEGER,
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MfaDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleSession" (
    "id" TEXT NOT NULL,
    "accessKeyId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "roleId" TEXT,
    "userId" TEXT,
    "arn" TEXT NOT NULL,
    "sessionName" TEXT,
    "secretCiphertext" TEXT NOT NULL,
    "sessionTokenDigest" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "sourcePrincipalArn" TEXT NOT NULL,
    "sourcePrincipalAccount" TEXT NOT NULL,
    "sourceIdentity" TEXT,
    "mfaAuthenticated" BOOLEAN NOT NULL DEFAULT false,
    "mfaAuthenticatedAt" TIMESTAMP(3),
    "sessionPolicy" TEXT,
    "sessionPolicyArns" TEXT,
    "sessionTags" TEXT,
    "transitiveTagKeys" TEXT,
    "chainedFromSessionId" TEXT,
    "displayName" TEXT,
    "color" TEXT,

    CONSTRAINT "RoleSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceControlPolicy" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "document" TEXT NOT NULL,
    "awsManaged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceControlPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScpAttachment" (
    "policyId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,

    CONSTRAINT "ScpAttachment_pkey" PRIMARY KEY ("policyId","targetId")
);

-- CreateTable
CREATE TABLE "Bucket" (
    "name" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'us-east-1',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "policy" TEXT,
    "blockPublicAcls" BOOLEAN NOT NULL DEFAULT true,
    "ignorePublicAcls" BOOLEAN NOT NULL DEFAULT true,
    "blockPublicPolicy" BOOLEAN NOT NULL DEFAULT true,
    "restrictPublicBuckets" BOOLEAN NOT NULL DEFAULT true,
    "loggingTargetBucket" TEXT,
    "loggingTargetPrefix" TEXT,

    CONSTRAINT "Bucket_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "S3Object" (
    "id" TEXT NOT NULL,
    "bucketName" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "etag" TEXT NOT NULL,
    "contentType" TEXT NOT NULL DEFAULT 'binary/octet-stream',
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "storageClass" TEXT NOT NULL DEFAULT 'STANDARD',
    "lastModified" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "S3Object_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "recipientAccountId" TEXT NOT NULL,
    "eventTime" TIMESTAMP(3) NOT NULL,
    "eventSource" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "awsRegion" TEXT NOT NULL DEFAULT 'us-east-1',
    "readOnly" BOOLEAN NOT NULL,
    "eventCategory" TEXT NOT NULL DEFAULT 'Management',
    "eventType" TEXT NOT NULL DEFAULT 'AwsApiCall',
    "requestId" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "identityArn" TEXT,
    "identityAccountId" TEXT,
    "identityPrincipalId" TEXT,
    "identityUserName" TEXT,
    "identityAccessKeyId" TEXT,
    "sessionIssuerArn" TEXT,
    "sessionCreationDate" TIMESTAMP(3),
    "mfaAuthenticated" BOOLEAN NOT NULL DEFAULT false,
    "sourceIdentity" TEXT,
    "sourceIPAddress" TEXT,
    "userAgent" TEXT,
    "requestParameters" TEXT,
    "responseElements" TEXT,
    "resources" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "blockedUntil" TIMESTAMP(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Lab" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "checks" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lab_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabEnrollment" (
    "id" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "learnerArn" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "progress" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "LabEnrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_rootId_key" ON "Organization"("rootId");

-- CreateIndex
CREATE INDEX "OrganizationalUnit_organizationId_parentId_idx" ON "OrganizationalUnit"("organizationId", "parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_alias_key" ON "Account"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "Account_rootEmail_key" ON "Account"("rootEmail");

-- CreateIndex
CREATE INDEX "Account_organizationId_idx" ON "Account"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "IamUser_arn_key" ON "IamUser"("arn");

-- CreateIndex
CREATE INDEX "IamUser_accountId_path_nameLower_idx" ON "IamUser"("accountId", "path", "nameLower");

-- CreateIndex
CREATE INDEX "IamUser_accountId_createdAt_idx" ON "IamUser"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "IamUser_accountId_lastActivityAt_idx" ON "IamUser"("accountId", "lastActivityAt");

-- CreateIndex
CREATE INDEX "IamUser_permissionsBoundaryPolicyId_idx" ON "IamUser"("permissionsBoundaryPolicyId");

-- CreateIndex
CREATE UNIQUE INDEX "IamUser_accountId_nameLower_key" ON "IamUser"("accountId", "nameLower");

-- CreateIndex
CREATE INDEX "PasswordHistory_accountId_userId_createdAt_idx" ON "PasswordHistory"("accountId", "userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IamGroup_arn_key" ON "IamGroup"("arn");

-- CreateIndex
CREATE INDEX "IamGroup_accountId_path_nameLower_idx" ON "IamGroup"("accountId", "path", "nameLower");

-- CreateIndex
CREATE UNIQUE INDEX "IamGroup_accountId_nameLower_key" ON "IamGroup"("accountId", "nameLower");

-- CreateIndex
CREATE INDEX "GroupMembership_userId_idx" ON "GroupMembership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Role_arn_key" ON "Role"("arn");

-- CreateIndex
CREATE INDEX "Role_accountId_path_nameLower_idx" ON "Role"("accountId", "path", "nameLower");

-- CreateIndex
CREATE INDEX "Role_permissionsBoundaryPolicyId_idx" ON "Role"("permissionsBoundaryPolicyId");

-- CreateIndex
CREATE UNIQUE INDEX "Role_accountId_nameLower_key" ON "Role"("accountId", "nameLower");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceProfile_arn_key" ON "InstanceProfile"("arn");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceProfile_accountId_nameLower_key" ON "InstanceProfile"("accountId", "nameLower");

-- CreateIndex
CREATE INDEX "InstanceProfileRole_roleId_idx" ON "InstanceProfileRole"("roleId");

-- CreateIndex
CREATE UNIQUE INDEX "ManagedPolicy_arn_key" ON "ManagedPolicy"("arn");

-- CreateIndex
CREATE INDEX "ManagedPolicy_accountId_path_nameLower_idx" ON "ManagedPolicy"("accountId", "path", "nameLower");

-- CreateIndex
CREATE INDEX "ManagedPolicy_nameLower_idx" ON "ManagedPolicy"("nameLower");

-- CreateIndex
CREATE UNIQUE INDEX "ManagedPolicy_accountId_nameLower_key" ON "ManagedPolicy"("accountId", "nameLower");

-- CreateIndex
CREATE INDEX "PolicyVersion_policyId_isDefault_idx" ON "PolicyVersion"("policyId", "isDefault");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_policyId_versionId_key" ON "PolicyVersion"("policyId", "versionId");

-- CreateIndex
CREATE INDEX "PolicyAttachment_userId_idx" ON "PolicyAttachment"("userId");

-- CreateIndex
CREATE INDEX "PolicyAttachment_groupId_idx" ON "PolicyAttachment"("groupId");

-- CreateIndex
CREATE INDEX "PolicyAttachment_roleId_idx" ON "PolicyAttachment"("roleId");

-- CreateIndex
CREATE INDEX "PolicyAttachment_accountId_policyId_idx" ON "PolicyAttachment"("accountId", "policyId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyAttachment_policyId_userId_key" ON "PolicyAttachment"("policyId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyAttachment_policyId_groupId_key" ON "PolicyAttachment"("policyId", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyAttachment_policyId_roleId_key" ON "PolicyAttachment"("policyId", "roleId");

-- CreateIndex
CREATE UNIQUE INDEX "InlinePolicy_userId_name_key" ON "InlinePolicy"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "InlinePolicy_groupId_name_key" ON "InlinePolicy"("groupId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "InlinePolicy_roleId_name_key" ON "InlinePolicy"("roleId", "name");

-- CreateIndex
CREATE INDEX "Tag_accountId_keyLower_value_idx" ON "Tag"("accountId", "keyLower", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_resourceArn_keyLower_key" ON "Tag"("resourceArn", "keyLower");

-- CreateIndex
CREATE INDEX "AccessKey_userId_idx" ON "AccessKey"("userId");

-- CreateIndex
CREATE INDEX "AccessKey_accountId_createdAt_idx" ON "AccessKey"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MfaDevice_serialNumber_key" ON "MfaDevice"("serialNumber");

-- CreateIndex
CREATE INDEX "MfaDevice_userId_idx" ON "MfaDevice"("userId");

-- CreateIndex
CREATE INDEX "MfaDevice_accountId_forRoot_idx" ON "MfaDevice"("accountId", "forRoot");

-- CreateIndex
CREATE UNIQUE INDEX "RoleSession_accessKeyId_key" ON "RoleSession"("accessKeyId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleSession_sessionTokenDigest_key" ON "RoleSession"("sessionTokenDigest");

-- CreateIndex
CREATE INDEX "RoleSession_roleId_issuedAt_idx" ON "RoleSession"("roleId", "issuedAt");

-- CreateIndex
CREATE INDEX "RoleSession_userId_idx" ON "RoleSession"("userId");

-- CreateIndex
CREATE INDEX "RoleSession_expiresAt_idx" ON "RoleSession"("expiresAt");

-- CreateIndex
CREATE INDEX "RoleSession_sourcePrincipalArn_issuedAt_idx" ON "RoleSession"("sourcePrincipalArn", "issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceControlPolicy_organizationId_name_key" ON "ServiceControlPolicy"("organizationId", "name");

-- CreateIndex
CREATE INDEX "ScpAttachment_targetId_idx" ON "ScpAttachment"("targetId");

-- CreateIndex
CREATE INDEX "Bucket_accountId_name_idx" ON "Bucket"("accountId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "S3Object_bucketName_key_key" ON "S3Object"("bucketName", "key");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_eventTime_idx" ON "AuditEvent"("recipientAccountId", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_eventName_eventTime_idx" ON "AuditEvent"("recipientAccountId", "eventName", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_identityArn_eventTime_idx" ON "AuditEvent"("recipientAccountId", "identityArn", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_recipientAccountId_errorCode_eventTime_idx" ON "AuditEvent"("recipientAccountId", "errorCode", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_eventTime_idx" ON "AuditEvent"("organizationId", "eventTime");

-- CreateIndex
CREATE INDEX "Lab_organizationId_idx" ON "Lab"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "LabEnrollment_labId_learnerArn_key" ON "LabEnrollment"("labId", "learnerArn");

-- AddForeignKey
ALTER TABLE "OrganizationalUnit" ADD CONSTRAINT "OrganizationalUnit_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_ouId_fkey" FOREIGN KEY ("ouId") REFERENCES "OrganizationalUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordPolicy" ADD CONSTRAINT "PasswordPolicy_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IamUser" ADD CONSTRAINT "IamUser_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IamUser" ADD CONSTRAINT "IamUser_permissionsBoundaryPolicyId_fkey" FOREIGN KEY ("permissionsBoundaryPolicyId") REFERENCES "ManagedPolicy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoginProfile" ADD CONSTRAINT "LoginProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordHistory" ADD CONSTRAINT "PasswordHistory_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordHistory" ADD CONSTRAINT "PasswordHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IamGroup" ADD CONSTRAINT "IamGroup_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "IamGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Role" ADD CONSTRAINT "Role_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Role" ADD CONSTRAINT "Role_permissionsBoundaryPolicyId_fkey" FOREIGN KEY ("permissionsBoundaryPolicyId") REFERENCES "ManagedPolicy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceProfile" ADD CONSTRAINT "InstanceProfile_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceProfileRole" ADD CONSTRAINT "InstanceProfileRole_instanceProfileId_fkey" FOREIGN KEY ("instanceProfileId") REFERENCES "InstanceProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceProfileRole" ADD CONSTRAINT "InstanceProfileRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManagedPolicy" ADD CONSTRAINT "ManagedPolicy_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "ManagedPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyAttachment" ADD CONSTRAINT "PolicyAttachment_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "ManagedPolicy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyAttachment" ADD CONSTRAINT "PolicyAttachment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyAttachment" ADD CONSTRAINT "PolicyAttachment_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "IamGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyAttachment" ADD CONSTRAINT "PolicyAttachment_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InlinePolicy" ADD CONSTRAINT "InlinePolicy_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InlinePolicy" ADD CONSTRAINT "InlinePolicy_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "IamGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InlinePolicy" ADD CONSTRAINT "InlinePolicy_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessKey" ADD CONSTRAINT "AccessKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessKey" ADD CONSTRAINT "AccessKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MfaDevice" ADD CONSTRAINT "MfaDevice_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MfaDevice" ADD CONSTRAINT "MfaDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleSession" ADD CONSTRAINT "RoleSession_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleSession" ADD CONSTRAINT "RoleSession_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleSession" ADD CONSTRAINT "RoleSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "IamUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceControlPolicy" ADD CONSTRAINT "ServiceControlPolicy_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScpAttachment" ADD CONSTRAINT "ScpAttachment_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "ServiceControlPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bucket" ADD CONSTRAINT "Bucket_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bucket" ADD CONSTRAINT "Bucket_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "S3Object" ADD CONSTRAINT "S3Object_bucketName_fkey" FOREIGN KEY ("bucketName") REFERENCES "Bucket"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lab" ADD CONSTRAINT "Lab_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabEnrollment" ADD CONSTRAINT "LabEnrollment_labId_fkey" FOREIGN KEY ("labId") REFERENCES "Lab"("id") ON DELETE CASCADE ON UPDATE CASCADE;

