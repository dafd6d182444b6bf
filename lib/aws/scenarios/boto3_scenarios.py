"""Scenarios with boto3 against IAM Lab's API (run by boto3.int.test.ts).

Environment: IAMLAB_ENDPOINT, ADMIN_KEY/ADMIN_SECRET (dev admin), ERIN_KEY/ERIN_SECRET,
ERIN_MFA_SEED, DEV, PROD. Prints one line per scenario; any failure raises.
"""
import base64, hashlib, hmac, json, os, struct, time, urllib.parse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

E = os.environ
CFG = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, key, secret, token=None):
    return boto3.client(service, endpoint_url=E["IAMLAB_ENDPOINT"], region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token, config=CFG)


def totp(seed, step):
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def error_of(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]
    raise AssertionError("expected %s to fail" % fn.__name__)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


iam = client("iam", E["ADMIN_KEY"], E["ADMIN_SECRET"])
sts = client("sts", E["ADMIN_KEY"], E["ADMIN_SECRET"])
DEV, PROD = E["DEV"], E["PROD"]

# 1. A user, a key, its use, its rotation.
iam.create_user(UserName="boto-user", Path="/team/")
iam.put_user_policy(UserName="boto-user", PolicyName="own-keys", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
                   "Resource": "arn:aws:iam::%s:user/team/boto-user" % DEV}]}))
k1 = iam.create_access_key(UserName="boto-user")["AccessKey"]
u1 = client("iam", k1["AccessKeyId"], k1["SecretAccessKey"])
who = client("sts", k1["AccessKeyId"], k1["SecretAccessKey"]).get_caller_identity()
check(who["Arn"] == "arn:aws:iam::%s:user/team/boto-user" % DEV, who)
k2 = u1.create_access_key()["AccessKey"]
check(error_of(u1.create_access_key) == ("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2"), "third key")
u2 = client("iam", k2["AccessKeyId"], k2["SecretAccessKey"])
u2.update_access_key(AccessKeyId=k1["AccessKeyId"], Status="Inactive")
u2.delete_access_key(AccessKeyId=k1["AccessKeyId"])
check(error_of(u1.list_access_keys)[:2] == ("InvalidClientTokenId", 403), "deleted key still works")
keys = u2.list_access_keys()["AccessKeyMetadata"]
check([k["AccessKeyId"] for k in keys] == [k2["AccessKeyId"]], keys)
print("ok keys: created, used, rotated; third key LimitExceeded; deleted key InvalidClientTokenId")

# 2. Inline policy documents arrive URL-encoded and botocore decodes them.
doc = iam.get_user_policy(UserName="boto-user", PolicyName="own-keys")["PolicyDocument"]
check(doc["Statement"][0]["Action"][0] == "iam:CreateAccessKey", doc)
print("ok policy documents decode")

# 3. Virtual MFA with real TOTP codes.
dev = iam.create_virtual_mfa_device(VirtualMFADeviceName="boto-user")["VirtualMFADevice"]
seed = dev["Base32StringSeed"].decode()
check(dev["QRCodePNG"][:8] == b"\x89PNG\r\n\x1a\n", "QR code is a PNG")
step = int(time.time()) // 30
iam.enable_mfa_device(UserName="boto-user", SerialNumber=dev["SerialNumber"], AuthenticationCode1=totp(seed, step), AuthenticationCode2=totp(seed, step + 1))
listed = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
check(any(d["SerialNumber"] == dev["SerialNumber"] for d in listed), listed)
mine = iam.list_mfa_devices(UserName="boto-user")["MFADevices"]
check([(d["UserName"], d["SerialNumber"]) for d in mine] == [("boto-user", dev["SerialNumber"])], mine)
print("ok virtual MFA enabled with TOTP codes")

# 4. Five policy versions at most.
pdoc = lambda n: json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "v%d" % n, "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})
arn = iam.create_policy(PolicyName="boto-versions", PolicyDocument=pdoc(1))["Policy"]["Arn"]
for n in range(2, 6):
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=pdoc(n))
code, status, _ = error_of(iam.create_policy_version, PolicyArn=arn, PolicyDocument=pdoc(6))
check((code, status) == ("LimitExceeded", 409), code)
versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
check(sorted(v["VersionId"] for v in versions) == ["v1", "v2", "v3", "v4", "v5"], versions)
print("ok 5-version limit")

# 5. Cross-account AssumeRole with MFA, and the credentials used.
erin = client("sts", E["ERIN_KEY"], E["ERIN_SECRET"])
role = "arn:aws:iam::%s:role/S3ElevatedAccess" % PROD
check(error_of(erin.assume_role, RoleArn=role, RoleSessionName="boto")[:2] == ("AccessDenied", 403), "no MFA")
creds = erin.assume_role(RoleArn=role, RoleSessionName="boto", SerialNumber="arn:aws:iam::%s:mfa/erin" % DEV,
                         TokenCode=totp(E["ERIN_MFA_SEED"], int(time.time()) // 30))["Credentials"]
assumed = client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]).get_caller_identity()
check(assumed["Arn"] == "arn:aws:sts::%s:assumed-role/S3ElevatedAccess/boto" % PROD, assumed)
print("ok cross-account AssumeRole with MFA")

# 6. Denied and invalid calls with AWS's codes.
check(error_of(iam.get_role, RoleName="no-such-role")[:2] == ("NoSuchEntity", 404), "NoSuchEntity")
check(error_of(iam.create_user, UserName="boto-user")[:2] == ("EntityAlreadyExists", 409), "EntityAlreadyExists")
code, status, message = error_of(iam.create_user, UserName="bad name!")
check((code, status) == ("ValidationError", 400) and "userName" in message, message)
code, status, message = error_of(iam.put_user_policy, UserName="boto-user", PolicyName="bad", PolicyDocument="{not json")
check((code, status) == ("MalformedPolicyDocument", 400), (code, message))
print("ok errors: NoSuchEntity, EntityAlreadyExists, ValidationError, MalformedPolicyDocument")

# 7. GetSessionToken, then its credentials.
st = sts.get_session_token(DurationSeconds=900)["Credentials"]
check(st["AccessKeyId"].startswith("ASIA"), st)
me = client("sts", st["AccessKeyId"], st["SecretAccessKey"], st["SessionToken"]).get_caller_identity()
check(me["Arn"] == "arn:aws:iam::%s:user/admin" % DEV, me)
print("ok GetSessionToken")

# 8. A presigned GetCallerIdentity URL (what Vault and EKS authenticators send).
url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
import urllib.request
body = urllib.request.urlopen(url).read().decode()
check("<Arn>arn:aws:iam::%s:user/admin</Arn>" % DEV in body, body)
print("ok presigned URL")
