# The model-driven test's client: one boto3 process calls every operation of a
# JSON plan (stdin: [{service, operation, params}]) against IAM Lab and prints,
# as JSON, one outcome per call: "ok" with the output members botocore parsed,
# or the error code, HTTP status and whether the operation's model declares
# that error. A response botocore cannot parse is "unparsed".
import json, os, sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore import xform_name

E = os.environ
clients = {}


def client(service):
    if service not in clients:
        clients[service] = boto3.client(service, endpoint_url=E["IAMLAB_ENDPOINT"], region_name="us-east-1",
                                        aws_access_key_id=E["KEY"], aws_secret_access_key=E["SECRET"],
                                        config=Config(retries={"max_attempts": 1}, parameter_validation=True))
    return clients[service]


out = []
for step in json.load(sys.stdin):
    c = client(step["service"])
    op = step["operation"]
    model = c.meta.service_model.operation_model(op)
    declared = sorted({s.metadata.get("error", {}).get("code", s.name) for s in model.error_shapes})
    try:
        resp = getattr(c, xform_name(op))(**step["params"])
        members = sorted(k for k in resp if k != "ResponseMetadata")
        expected = sorted(model.output_shape.members) if model.output_shape else []
        out.append({"operation": op, "outcome": "ok", "members": members, "unknown": [m for m in members if m not in expected]})
    except ClientError as e:
        err = e.response.get("Error", {})
        code = err.get("Code", "")
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        out.append({"operation": op, "outcome": "error", "code": code, "status": status, "declared": code in declared, "message": err.get("Message", "")[:200]})
    except Exception as e:  # a response botocore could not parse, or a client-side refusal
        out.append({"operation": op, "outcome": "unparsed", "error": f"{type(e).__name__}: {str(e)[:300]}"})
print(json.dumps(out))
