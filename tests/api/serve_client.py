#!/usr/bin/env python3
"""boto3/botocore cases against a running `vigil serve` (driven by serve_e2e_test.cc).

usage: serve_client.py ENDPOINT CASE

Account A's key is AKIDACCOUNTA / secretA (account 111111111111), account B's AKIDACCOUNTB /
secretB (222222222222). Each case prints what it saw and exits 0 when the server answered as AWS
does, 1 otherwise.
"""
import datetime
import json
import socket
import sys
import time
import urllib.error
import urllib.request

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
CASE = sys.argv[2]
REGION = "us-east-1"
KEYS = {"A": ("AKIDACCOUNTA", "secretA"), "B": ("AKIDACCOUNTB", "secretB")}
FAILURES = []


def client(account="A", secret=None, validate=True):
    key, sec = KEYS[account]
    return boto3.client(
        "config",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret or sec,
        config=Config(parameter_validation=validate, retries={"max_attempts": 1}),
    )


def check(name, got, want):
    print(f"{name}: got {got!r}, want {want!r}")
    if got != want:
        FAILURES.append(name)


def expect_error(name, call, code, status=400):
    try:
        call()
    except ClientError as e:
        check(name + " code", e.response["Error"]["Code"], code)
        check(name + " status", e.response["ResponseMetadata"]["HTTPStatusCode"], status)
        return e.response["Error"].get("Message", "")
    check(name, "no error", code)
    return ""


def raw(target, body, key="AKIDACCOUNTA", secret="secretA", when=None, send_body=None):
    """Signs `body` with botocore (at `when`, default now) and sends `send_body` (default the
    same). Returns (HTTP status, parsed JSON body, x-amzn-ErrorType)."""
    req = AWSRequest(
        method="POST",
        url=ENDPOINT + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "StarlingDoveService." + target,
        },
    )
    signer = botocore.auth.SigV4Auth(Credentials(key, secret), "config", REGION)
    if when is None:
        signer.add_auth(req)
    else:
        real = botocore.auth.datetime.datetime

        class Fixed(real):
            @classmethod
            def utcnow(cls):
                return when

            @classmethod
            def now(cls, tz=None):
                return when.replace(tzinfo=tz)

        botocore.auth.datetime.datetime = Fixed
        try:
            signer.add_auth(req)
        finally:
            botocore.auth.datetime.datetime = real
    data = send_body if send_body is not None else body
    if isinstance(data, str):
        data = data.encode()
    headers = {k: v for k, v in req.headers.items()}
    r = urllib.request.Request(ENDPOINT + "/", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"{}"), None
    except urllib.error.HTTPError as e:
        payload = e.read()
        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = {"raw": payload.decode(errors="replace")}
        return e.code, parsed, e.headers.get("x-amzn-ErrorType")


def expect_raw(name, result, status, code):
    got_status, body, header = result
    check(name + " status", got_status, status)
    check(name + " __type", body.get("__type"), code)
    if code is not None:
        check(name + " x-amzn-ErrorType", header, code)


def put_rule(c, name):
    c.put_config_rule(
        ConfigRule={
            "ConfigRuleName": name,
            "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED"},
        }
    )


def case_wrong_secret():
    msg = expect_error(
        "wrong secret",
        lambda: client("A", secret="not-the-secret").describe_config_rules(),
        "InvalidSignatureException",
    )
    check(
        "wrong secret message",
        msg.startswith("The request signature we calculated does not match the signature you "
                       "provided. Check your AWS Secret Access Key and signing method."),
        True,
    )


def case_unknown_key():
    c = boto3.client("config", endpoint_url=ENDPOINT, region_name=REGION,
                     aws_access_key_id="AKIDNOBODY", aws_secret_access_key="x",
                     config=Config(retries={"max_attempts": 1}))
    msg = expect_error("unknown key", c.describe_config_rules, "UnrecognizedClientException")
    check("unknown key message", msg, "The security token included in the request is invalid.")


def case_tampered_body():
    expect_raw(
        "tampered body",
        raw("DeleteConfigRule", '{"ConfigRuleName": "a"}',
            send_body='{"ConfigRuleName": "b"}'),
        400, "InvalidSignatureException")


def case_expired_date():
    past = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
    status, body, header = raw("DescribeConfigRules", "{}", when=past)
    expect_raw("expired date", (status, body, header), 400, "InvalidSignatureException")
    check("expired date message", body.get("message", "").startswith("Signature expired: "), True)
    future = datetime.datetime.utcnow() + datetime.timedelta(minutes=20)
    expect_raw("future date", raw("DescribeConfigRules", "{}", when=future), 400,
               "InvalidSignatureException")
    near = datetime.datetime.utcnow() - datetime.timedelta(minutes=10)
    expect_raw("10 minutes ago", raw("DescribeConfigRules", "{}", when=near), 200, None)


def case_missing_auth():
    r = urllib.request.Request(
        ENDPOINT + "/", data=b"{}", method="POST",
        headers={"Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "StarlingDoveService.DescribeConfigRules"})
    try:
        urllib.request.urlopen(r, timeout=10)
        check("missing auth", "200", "MissingAuthenticationTokenException")
    except urllib.error.HTTPError as e:
        check("missing auth status", e.code, 400)
        check("missing auth __type", json.loads(e.read())["__type"],
              "MissingAuthenticationTokenException")


def case_cross_account():
    a, b = client("A"), client("B")
    put_rule(a, "account-a-only")
    names_b = [r["ConfigRuleName"] for r in b.describe_config_rules()["ConfigRules"]]
    check("B lists A's rule", "account-a-only" in names_b, False)
    expect_error("B describes A's rule",
                 lambda: b.describe_config_rules(ConfigRuleNames=["account-a-only"]),
                 "NoSuchConfigRuleException")
    expect_error("B deletes A's rule",
                 lambda: b.delete_config_rule(ConfigRuleName="account-a-only"),
                 "NoSuchConfigRuleException")
    rules_a = a.describe_config_rules(ConfigRuleNames=["account-a-only"])["ConfigRules"]
    check("A still has its rule", len(rules_a), 1)
    check("A's rule ARN names A's account", rules_a[0]["ConfigRuleArn"].split(":")[4],
          "111111111111")


def case_unknown_operation():
    expect_raw("unknown operation", raw("NoSuchOperation", "{}"), 400, "UnknownOperationException")
    expect_error("not implemented", client("A").list_stored_queries,
                 "UnknownOperationException")


def case_malformed_json():
    expect_raw("malformed JSON", raw("DescribeConfigRules", '{"ConfigRuleNames": ['), 400,
               "SerializationException")
    expect_raw("wrong type", raw("DescribeConfigRules", '{"ConfigRuleNames": "x"}'), 400,
               "SerializationException")


def case_validation():
    c = client("A", validate=False)
    msg = expect_error(
        "name too long",
        lambda: c.put_config_rule(ConfigRule={
            "ConfigRuleName": "x" * 129,
            "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED"}}),
        "ValidationException")
    check("name too long message", "Member must have length less than or equal to 128" in msg, True)
    expect_error("bad enum",
                 lambda: c.put_config_rule(ConfigRule={
                     "ConfigRuleName": "x", "Source": {"Owner": "ME"}}),
                 "ValidationException")
    expect_error("missing required", lambda: c.put_config_rule(ConfigRule={"ConfigRuleName": "x"}),
                 "ValidationException")
    expect_error("too many names",
                 lambda: c.describe_config_rules(ConfigRuleNames=[f"r{i}" for i in range(26)]),
                 "ValidationException")
    expect_error("unknown managed rule",
                 lambda: c.put_config_rule(ConfigRule={
                     "ConfigRuleName": "x",
                     "Source": {"Owner": "AWS", "SourceIdentifier": "NOT_A_RULE"}}),
                 "InvalidParameterValueException")
    expect_error("no such rule", lambda: c.delete_config_rule(ConfigRuleName="nope"),
                 "NoSuchConfigRuleException")


def case_pagination():
    c = client("B")
    for i in range(30):
        put_rule(c, f"page-{i:02d}")
    pages = list(c.get_paginator("describe_config_rules").paginate())
    names = [r["ConfigRuleName"] for p in pages for r in p["ConfigRules"]]
    check("pages", len(pages), 2)
    check("rules over all pages", names, [f"page-{i:02d}" for i in range(30)])


def case_slow_client():
    # A client that sends half a request and stalls must not hold up the others.
    host, port = ENDPOINT.replace("http://", "").split(":")
    stalled = [socket.create_connection((host, int(port))) for _ in range(4)]
    for s in stalled:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    start = time.time()
    client("A").describe_config_rules()
    elapsed = time.time() - start
    check("answered while slow clients stall", elapsed < 3, True)
    for s in stalled:
        s.close()


def case_oversized_body():
    status, _, _ = raw("DescribeConfigRules", "{}", send_body="{" + " " * (9 << 20) + "}")
    check("oversized body status", status, 413)


def case_load_until_killed():
    # Puts rules one by one and prints each acknowledged name; the test kills the server.
    c = client("A")
    i = 0
    while True:
        name = f"durable-{i:06d}"
        try:
            put_rule(c, name)
        except Exception:  # the server is gone
            return
        print(name, flush=True)
        i += 1


def case_list_all():
    c = client("A")
    for page in c.get_paginator("describe_config_rules").paginate():
        for r in page["ConfigRules"]:
            print(r["ConfigRuleName"])


def result_token(c, rule, account, region=REGION, lifetime_ms=3600_000):
    """A result token as docs/serve.md specifies it, signed with the secret in the server's
    --data directory (VIGIL_DATA): what a Lambda runner outside vigil would issue."""
    import hashlib
    import hmac
    import os
    import sqlite3

    db = sqlite3.connect(os.path.join(os.environ["VIGIL_DATA"], "vigil-serve.db"))
    (secret_hex,) = db.execute(
        "SELECT body FROM documents WHERE account='' AND region='' AND kind='server-secret' "
        "AND name='result-token'").fetchone()
    db.close()
    rule_id = c.describe_config_rules(ConfigRuleNames=[rule])["ConfigRules"][0]["ConfigRuleId"]
    now = int(time.time() * 1000)
    payload = json.dumps({"a": account, "r": region, "n": rule, "i": rule_id, "t": now,
                          "x": now + lifetime_ms}).encode()
    signed = "vigil-rt1." + payload.hex()
    mac = hmac.new(bytes.fromhex(secret_hex), signed.encode(), hashlib.sha256).hexdigest()
    return signed + "." + mac


def evaluation(resource_id, compliance, annotation=None):
    e = {"ComplianceResourceType": "AWS::EC2::Volume", "ComplianceResourceId": resource_id,
         "ComplianceType": compliance,
         "OrderingTimestamp": datetime.datetime(2026, 2, 23, 10, 0, tzinfo=datetime.timezone.utc)}
    if annotation:
        e["Annotation"] = annotation
    return e


def case_evaluations():
    a, b = client("A"), client("B")
    put_rule(a, "e2e-evaluated")
    # Test mode: checked, nothing stored, any token.
    r = a.put_evaluations(Evaluations=[evaluation("vol-1", "NON_COMPLIANT")],
                          ResultToken="TESTMODE", TestMode=True)
    check("test mode FailedEvaluations", r["FailedEvaluations"], [])
    details = a.get_compliance_details_by_config_rule(ConfigRuleName="e2e-evaluated")
    check("test mode stored nothing", details["EvaluationResults"], [])
    expect_error("TESTMODE token outside test mode",
                 lambda: a.put_evaluations(Evaluations=[evaluation("vol-1", "COMPLIANT")],
                                           ResultToken="TESTMODE"),
                 "InvalidResultTokenException")
    # A real token, as vigil's Lambda runner will issue it.
    token = result_token(a, "e2e-evaluated", "111111111111")
    r = a.put_evaluations(Evaluations=[evaluation("vol-1", "NON_COMPLIANT", "not encrypted"),
                                       evaluation("vol-2", "COMPLIANT"),
                                       evaluation("vol-3", "NOT_APPLICABLE")],
                          ResultToken=token)
    check("real put FailedEvaluations", r["FailedEvaluations"], [])
    by_rule = a.describe_compliance_by_config_rule(ConfigRuleNames=["e2e-evaluated"])
    compliance = by_rule["ComplianceByConfigRules"][0]["Compliance"]
    check("rule compliance", compliance["ComplianceType"], "NON_COMPLIANT")
    check("rule contributors", compliance["ComplianceContributorCount"],
          {"CappedCount": 1, "CapExceeded": False})
    by_resource = a.describe_compliance_by_resource(ResourceType="AWS::EC2::Volume")
    check("resources", [(x["ResourceId"], x["Compliance"]["ComplianceType"])
                        for x in by_resource["ComplianceByResources"]],
          [("vol-1", "NON_COMPLIANT"), ("vol-2", "COMPLIANT"), ("vol-3", "INSUFFICIENT_DATA")])
    details = a.get_compliance_details_by_config_rule(ConfigRuleName="e2e-evaluated")
    results = details["EvaluationResults"]
    check("details", [(x["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"],
                       x["ComplianceType"]) for x in results],
          [("vol-1", "NON_COMPLIANT"), ("vol-2", "COMPLIANT")])
    check("annotation", results[0].get("Annotation"), "not encrypted")
    check("ordering timestamp", results[0]["EvaluationResultIdentifier"]["OrderingTimestamp"],
          datetime.datetime(2026, 2, 23, 10, 0, tzinfo=datetime.timezone.utc).astimezone(
              results[0]["EvaluationResultIdentifier"]["OrderingTimestamp"].tzinfo))
    na = a.get_compliance_details_by_config_rule(ConfigRuleName="e2e-evaluated",
                                                 ComplianceTypes=["NOT_APPLICABLE"])
    check("not applicable on request", len(na["EvaluationResults"]), 1)
    vol1 = a.get_compliance_details_by_resource(ResourceType="AWS::EC2::Volume",
                                                ResourceId="vol-1")
    check("details by resource", [x["ComplianceType"] for x in vol1["EvaluationResults"]],
          ["NON_COMPLIANT"])
    summary = a.get_compliance_summary_by_resource_type(ResourceTypes=["AWS::EC2::Volume"])
    s = summary["ComplianceSummariesByResourceType"][0]["ComplianceSummary"]
    check("summary compliant", s["CompliantResourceCount"]["CappedCount"], 1)
    check("summary non-compliant", s["NonCompliantResourceCount"]["CappedCount"], 1)
    rules = a.get_compliance_summary_by_config_rule()["ComplianceSummary"]
    check("rule summary non-compliant >= 1",
          rules["NonCompliantResourceCount"]["CappedCount"] >= 1, True)
    # Account B (no rules of its own, so the pagination case still sees only its pages): A's
    # token is refused, A's rule and results are invisible.
    expect_error("B with A's token",
                 lambda: b.put_evaluations(Evaluations=[evaluation("vol-1", "COMPLIANT")],
                                           ResultToken=token),
                 "InvalidResultTokenException")
    expect_error("B reads A's rule's results",
                 lambda: b.get_compliance_details_by_config_rule(ConfigRuleName="e2e-evaluated"),
                 "NoSuchConfigRuleException")
    check("B sees no resources",
          b.describe_compliance_by_resource(ResourceType="AWS::EC2::Volume")[
              "ComplianceByResources"], [])
    check("B sees no details for A's resource",
          b.get_compliance_details_by_resource(ResourceType="AWS::EC2::Volume",
                                               ResourceId="vol-1")["EvaluationResults"], [])
    expect_error("B deletes A's results",
                 lambda: b.delete_evaluation_results(ConfigRuleName="e2e-evaluated"),
                 "NoSuchConfigRuleException")
    check("A's results survive",
          len(a.get_compliance_details_by_config_rule(ConfigRuleName="e2e-evaluated")[
              "EvaluationResults"]), 2)
    a.delete_evaluation_results(ConfigRuleName="e2e-evaluated")
    after = a.describe_compliance_by_config_rule(ConfigRuleNames=["e2e-evaluated"])
    check("after delete", after["ComplianceByConfigRules"][0]["Compliance"]["ComplianceType"],
          "INSUFFICIENT_DATA")


def start_recorder(c, account):
    c.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{account}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    c.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "bucket"})
    c.start_configuration_recorder(ConfigurationRecorderName="default")


def case_resources():
    a, b = client("A"), client("B")
    start_recorder(a, "111111111111")
    t = "Acme::Billing::Ledger"
    expect_error("AWS type refused",
                 lambda: a.put_resource_config(ResourceType="AWS::S3::Bucket", SchemaVersionId="1",
                                               ResourceId="x", Configuration="{}"),
                 "ValidationException")
    a.put_resource_config(ResourceType=t, SchemaVersionId="1", ResourceId="ledger-1",
                          ResourceName="main", Configuration='{"size": 1}', Tags={"env": "prod"})
    time.sleep(0.01)
    a.put_resource_config(ResourceType=t, SchemaVersionId="1", ResourceId="ledger-1",
                          ResourceName="main", Configuration='{"size": 2}', Tags={"env": "prod"})
    a.put_resource_config(ResourceType=t, SchemaVersionId="1", ResourceId="ledger-2",
                          Configuration="{}")
    history = a.get_resource_config_history(resourceType=t, resourceId="ledger-1")
    items = history["configurationItems"]
    check("history length", len(items), 2)
    check("history order (newest first)", [i["configuration"] for i in items],
          ['{"size":2}', '{"size":1}'])
    check("statuses", [i["configurationItemStatus"] for i in items], ["OK", "ResourceDiscovered"])
    check("state ids increase",
          int(items[0]["configurationStateId"]) > int(items[1]["configurationStateId"]), True)
    check("capture time is a datetime",
          isinstance(items[0]["configurationItemCaptureTime"], datetime.datetime), True)
    check("tags", items[0]["tags"], {"env": "prod"})
    forward = a.get_resource_config_history(resourceType=t, resourceId="ledger-1",
                                            chronologicalOrder="Forward", limit=1)
    check("forward page", forward["configurationItems"][0]["configurationItemStatus"],
          "ResourceDiscovered")
    check("forward has a next page", "nextToken" in forward, True)
    listed = a.list_discovered_resources(resourceType=t)["resourceIdentifiers"]
    check("listed", [(r["resourceId"], r.get("resourceName")) for r in listed],
          [("ledger-1", "main"), ("ledger-2", None)])
    counts = a.get_discovered_resource_counts(resourceTypes=[t])
    check("counts", (counts["totalDiscoveredResources"], counts["resourceCounts"]),
          (2, [{"resourceType": t, "count": 2}]))
    batch = a.batch_get_resource_config(resourceKeys=[
        {"resourceType": t, "resourceId": "ledger-1"}, {"resourceType": t, "resourceId": "nope"}])
    check("batch", [i["resourceId"] for i in batch["baseConfigurationItems"]], ["ledger-1"])
    check("batch unprocessed", batch["unprocessedResourceKeys"], [])
    a.delete_resource_config(ResourceType=t, ResourceId="ledger-2")
    check("deleted hidden", [r["resourceId"] for r in
                             a.list_discovered_resources(resourceType=t)["resourceIdentifiers"]],
          ["ledger-1"])
    expect_error("unknown resource history",
                 lambda: a.get_resource_config_history(resourceType=t, resourceId="nope"),
                 "ResourceNotDiscoveredException")
    # Account B sees none of it.
    expect_error("B without a recorder",
                 lambda: b.list_discovered_resources(resourceType=t),
                 "NoAvailableConfigurationRecorderException")
    start_recorder(b, "222222222222")
    check("B lists nothing", b.list_discovered_resources(resourceType=t)["resourceIdentifiers"], [])
    expect_error("B reads A's history",
                 lambda: b.get_resource_config_history(resourceType=t, resourceId="ledger-1"),
                 "ResourceNotDiscoveredException")
    check("B's batch is empty", b.batch_get_resource_config(resourceKeys=[
        {"resourceType": t, "resourceId": "ledger-1"}])["baseConfigurationItems"], [])
    check("B counts nothing", b.get_discovered_resource_counts()["totalDiscoveredResources"], 0)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    CASES[CASE]()
    if FAILURES:
        print("FAILED:", ", ".join(FAILURES))
        sys.exit(1)
