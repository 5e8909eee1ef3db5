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
    expect_error("not implemented", client("A").get_discovered_resource_counts,
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


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    CASES[CASE]()
    if FAILURES:
        print("FAILED:", ", ".join(FAILURES))
        sys.exit(1)
