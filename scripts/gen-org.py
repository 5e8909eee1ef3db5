#!/usr/bin/env python3
"""Generate a synthetic but realistic AWS organisation of AWS Config data for vigil.

Writes, under --out:

  AWSLogs/<acct>/Config/<region>/<yyyy>/<m>/<d>/ConfigSnapshot/<acct>_Config_<region>_ConfigSnapshot_<ts>_<uuid>.json.gz
  AWSLogs/<acct>/Config/<region>/<yyyy>/<m>/<d>/ConfigHistory/<acct>_Config_<region>_ConfigHistory_<Type>_<start>_<end>_1.json.gz
  facts/<acct>/<region>/{iam-get-account-summary,iam-get-account-password-policy,
                          iam-get-credential-report,ec2-describe-flow-logs}.json
  accounts.json       (aws organizations list-accounts)
  organization.json   (aws organizations describe-organization, plus the organisation's name)
  rules.json          (ConfigRule objects as `aws configservice put-config-rule --config-rule` takes)
  expected.json       (what every rule must conclude for every in-scope resource; see below)

expected.json is the generator's own statement of the verdicts, derived from the decisions it took
while generating (e.g. "this security group gets SSH open to the world"), never by evaluating the
written files. Cases are kept unambiguous under AWS's documented rule logic.

Configuration items use the S3-delivery/notification spelling that AWS writes into snapshot and
history files (awsAccountId, ARN, configuration as an object, configurationStateId as a number,
configurationStateMd5Hash ""), following formats/rdk_example_ci/AWS_S3_Bucket.json and the SNS
examples in the reference data.

Standard library only. Output is deterministic for a given --seed and set of options (independent of
--jobs). Accounts are generated in parallel worker processes.
"""

import argparse
import base64
import calendar
import gzip
import json
import os
import random
import shutil
import sys
import time
import uuid
from multiprocessing import Pool

# --------------------------------------------------------------------------------------------------
# Constants

DEFAULT_REGIONS = "us-east-1,eu-west-1,ap-southeast-2"
DEFAULT_AS_OF = "2026-02-23T06:00:00Z"
ORG_NAME = "Acme Financial"
EMAIL_DOMAIN = "acme-financial.example"

# (name, badness 0 = exemplary .. 1 = neglected). Order is the order in accounts.json.
ACCOUNT_PROFILES = [
    ("prod-core", 0.05), ("prod-data", 0.10), ("prod-payments", 0.12), ("prod-identity", 0.15),
    ("security-audit", 0.08), ("log-archive", 0.10), ("network-hub", 0.18), ("org-management", 0.20),
    ("shared-services", 0.25), ("prod-web", 0.30), ("prod-api", 0.28), ("prod-analytics", 0.35),
    ("prod-messaging", 0.30), ("prod-mobile", 0.40), ("staging-core", 0.45), ("staging-data", 0.50),
    ("staging-payments", 0.45), ("staging-web", 0.55), ("qa-automation", 0.60),
    ("qa-performance", 0.55), ("data-science", 0.65), ("dev-core", 0.60), ("dev-data", 0.65),
    ("dev-payments", 0.60), ("dev-web", 0.70), ("dev-ml", 0.75), ("acquired-fintech", 0.80),
    ("legacy-batch", 0.90), ("sandbox-research", 0.92), ("dev-sandbox", 1.00),
]
MANAGEMENT_NAME = "org-management"
NO_FACTS_NAME = "acquired-fintech"   # joined by invitation, facts collection not rolled out yet
EXTRA_ENVS = ["prod", "staging", "dev", "qa", "sandbox"]
EXTRA_TEAMS = ["ledger", "cards", "lending", "treasury", "fraud", "kyc", "crm", "billing", "risk",
               "trading", "wealth", "insurance", "platform", "edge", "search", "reporting"]

# Rule names (the seed's ten, plus two).
R_S3_READ = "s3-bucket-public-read-prohibited"
R_S3_WRITE = "s3-bucket-public-write-prohibited"
R_S3_SSE = "s3-bucket-server-side-encryption-enabled"
R_S3_SSL = "s3-bucket-ssl-requests-only"
R_ROOT_KEY = "iam-root-access-key-check"
R_MFA = "mfa-enabled-for-iam-console-access"
R_PWPOL = "iam-password-policy"
R_SSH = "restricted-ssh"
R_FLOW = "vpc-flow-logs-enabled"
R_RDS = "rds-storage-encrypted"
R_VOL = "encrypted-volumes"
R_TAGS = "ec2-required-tags"

SEED_PWPOL_PARAMS = ("{\"RequireUppercaseCharacters\":\"true\",\"RequireLowercaseCharacters\":\"true\","
                     "\"RequireSymbols\":\"true\",\"RequireNumbers\":\"true\",\"MinimumPasswordLength\":\"14\"}")
REQUIRED_TAG_KEYS = ["Environment", "Owner", "CostCenter", "Project"]

RULES = [
    {"ConfigRuleName": R_S3_READ,
     "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED"}},
    {"ConfigRuleName": R_S3_SSE,
     "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}},
    {"ConfigRuleName": R_S3_SSL,
     "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SSL_REQUESTS_ONLY"}},
    {"ConfigRuleName": R_ROOT_KEY,
     "Source": {"Owner": "AWS", "SourceIdentifier": "IAM_ROOT_ACCESS_KEY_CHECK"}},
    {"ConfigRuleName": R_MFA,
     "Source": {"Owner": "AWS", "SourceIdentifier": "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"}},
    {"ConfigRuleName": R_PWPOL,
     "Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"},
     "InputParameters": SEED_PWPOL_PARAMS},
    {"ConfigRuleName": R_SSH,
     "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}},
    {"ConfigRuleName": R_FLOW,
     "Source": {"Owner": "AWS", "SourceIdentifier": "VPC_FLOW_LOGS_ENABLED"}},
    {"ConfigRuleName": R_RDS,
     "Source": {"Owner": "AWS", "SourceIdentifier": "RDS_STORAGE_ENCRYPTED"}},
    {"ConfigRuleName": R_VOL,
     "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}},
    {"ConfigRuleName": R_S3_WRITE,
     "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"}},
    {"ConfigRuleName": R_TAGS,
     "Source": {"Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS"},
     "Scope": {"ComplianceResourceTypes": ["AWS::EC2::Instance"]},
     "InputParameters": json.dumps({"tag1Key": "Environment", "tag2Key": "Owner",
                                    "tag3Key": "CostCenter", "tag4Key": "Project"},
                                   separators=(",", ":"))},
]

# Which rules apply to which resource type (for NOT_APPLICABLE entries of deleted resources).
RULES_BY_TYPE = {
    "AWS::S3::Bucket": [R_S3_READ, R_S3_WRITE, R_S3_SSE, R_S3_SSL],
    "AWS::EC2::Volume": [R_VOL],
    "AWS::EC2::SecurityGroup": [R_SSH],
    "AWS::EC2::Instance": [R_TAGS],
    "AWS::RDS::DBInstance": [R_RDS],
    "AWS::EC2::VPC": [R_FLOW],
    "AWS::IAM::User": [R_MFA],
}
FACT_RULES = {R_MFA, R_ROOT_KEY, R_PWPOL}

# Base probability of a NON_COMPLIANT outcome for an account of average badness (0.5).
BASE_NC = {
    R_S3_READ: 0.30, R_S3_WRITE: 0.22, R_S3_SSE: 0.25, R_S3_SSL: 0.30, R_SSH: 0.24, R_FLOW: 0.30,
    R_RDS: 0.22, R_VOL: 0.24, R_TAGS: 0.28, R_MFA: 0.25,
}   # the two account-level rules are assigned by rank instead (see make_accounts)

# Share of the per-account-region CI budget per resource type.
MIX = {"vpc": 0.05, "sg": 0.20, "instance": 0.15, "volume": 0.20, "bucket": 0.15, "rds": 0.05,
       "user": 0.12}

C, NC, NA = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
JSON_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

# Sub-objects that are the same in many items. Shared, never mutated (items are only encoded).
K_MONITORING_OFF = {"state": "disabled"}
K_STATE_RUNNING = {"code": 16, "name": "running"}
K_STATE_STOPPED = {"code": 80, "name": "stopped"}
K_METADATA_OPTIONS = {"state": "applied", "httpTokens": "required", "httpPutResponseHopLimit": 2,
                      "httpEndpoint": "enabled", "httpProtocolIpv6": "disabled", "instanceMetadataTags": "disabled"}
K_S3_ACCELERATE = {"status": None}
K_S3_LOGGING = {"destinationBucketName": None, "logFilePrefix": None}
K_S3_NOTIFICATION = {"configurations": {}}
K_S3_VERSIONING_ON = {"status": "Enabled", "isMfaDeleteEnabled": None}
K_S3_VERSIONING_OFF = {"status": "Off", "isMfaDeleteEnabled": None}
K_S3_NO_POLICY = {"policyText": None}

# --------------------------------------------------------------------------------------------------
# Small helpers


_DAY_CACHE = {}


def iso_ms(ms):
    """2026-02-23T05:59:59.123Z"""
    day, rem = divmod(ms, 86400000)
    d = _DAY_CACHE.get(day)
    if d is None:
        d = _DAY_CACHE[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * 86400))
    s, milli = divmod(rem, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return "%s%02d:%02d:%02d.%03dZ" % (d, h, m, s, milli)


def iso_cli(ms, frac=True):
    """AWS CLI v2 rendering of a timestamp: 2026-02-23T05:59:59.123000+00:00"""
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return s + (".%06d" % ((ms % 1000) * 1000) if frac else "") + "+00:00"


def compact_ts(sec):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(sec))


def parse_iso(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def hexid(rng, n=17):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def b32id(rng, n):
    return "".join(rng.choices(B32, k=n))


def det_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def region_code(region):
    parts = region.split("-")
    if len(parts) == 3:
        geo = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
               "southeast": "se", "northeast": "ne", "southwest": "sw", "northwest": "nw"}
        return parts[0] + geo.get(parts[1], parts[1][:2]) + parts[2]
    return region.replace("-", "")


def rel(rtype, rid, name, rname=None):
    return {"resourceId": rid, "resourceName": rname, "resourceType": rtype, "name": name}


def ci(acct, region, rtype, rid, rname, arn, az, created_ms, capture_ms, status, tags,
       relationships, configuration, supplementary):
    """A configuration item in the S3-delivery / notification spelling (key order as AWS writes it)."""
    d = {
        "relatedEvents": [],
        "relationships": relationships,
        "configuration": configuration,
        "supplementaryConfiguration": supplementary,
        "tags": tags,
        "configurationItemVersion": "1.3",
        "configurationItemCaptureTime": iso_ms(capture_ms),
        "configurationStateId": capture_ms,
        "awsAccountId": acct,
        "configurationItemStatus": status,
        "resourceType": rtype,
        "resourceId": rid,
    }
    if rname is not None:
        d["resourceName"] = rname
    if arn is not None:
        d["ARN"] = arn
    d["awsRegion"] = region
    d["availabilityZone"] = az
    d["configurationStateMd5Hash"] = ""
    d["resourceCreationTime"] = iso_ms(created_ms) if created_ms is not None else None
    return d


def deleted_ci(prev, capture_ms):
    """The ResourceDeleted item that follows `prev` (AWS keeps the identity, drops the state)."""
    d = dict(prev)
    d["relationships"] = []
    d["configuration"] = None
    d["supplementaryConfiguration"] = {}
    d["tags"] = {}
    d["configurationItemCaptureTime"] = iso_ms(capture_ms)
    d["configurationStateId"] = capture_ms
    d["configurationItemStatus"] = "ResourceDeleted"
    if "resourceCreationTime" in d:
        d["resourceCreationTime"] = None
    return d


# --------------------------------------------------------------------------------------------------
# Organisation-level data


def make_accounts(n, seed, as_of_sec):
    rng = random.Random("%s:org" % seed)
    profiles = list(ACCOUNT_PROFILES[:n]) if n <= len(ACCOUNT_PROFILES) else list(ACCOUNT_PROFILES)
    if n < len(ACCOUNT_PROFILES) and n >= 3:
        # Keep the story's anchors (management, the facts-less account, the worst account) in
        # small organisations too.
        must = [p for p in ACCOUNT_PROFILES if p[0] in (MANAGEMENT_NAME, NO_FACTS_NAME, "dev-sandbox")]
        rest = [p for p in ACCOUNT_PROFILES if p not in must][: n - len(must)]
        profiles = rest + must
    used = {p[0] for p in profiles}
    while len(profiles) < n:
        name = "%s-%s" % (rng.choice(EXTRA_ENVS), rng.choice(EXTRA_TEAMS))
        k = 2
        base = name
        while name in used:
            name = "%s-%d" % (base, k)
            k += 1
        used.add(name)
        env = name.split("-")[0]
        lo, hi = {"prod": (0.05, 0.45), "staging": (0.3, 0.7), "qa": (0.4, 0.8),
                  "dev": (0.45, 0.9), "sandbox": (0.7, 1.0)}[env]
        profiles.append((name, round(rng.uniform(lo, hi), 2)))

    ids = set()
    accounts = []
    org_created = parse_iso("2018-06-11T09:14:27Z")
    for i, (name, badness) in enumerate(profiles):
        while True:
            aid = "%012d" % rng.randrange(100000000000, 999999999999)
            if aid not in ids:
                ids.add(aid)
                break
        if name == MANAGEMENT_NAME:
            joined, method = org_created, "INVITED"
        elif name == NO_FACTS_NAME:
            joined, method = as_of_sec - 41 * 86400 + rng.randrange(86400), "INVITED"
        elif name.startswith("legacy"):
            joined, method = org_created + 3 * 86400 + rng.randrange(86400), "INVITED"
        else:
            joined = org_created + 30 * 86400 + rng.randrange(0, max(1, as_of_sec - org_created - 120 * 86400))
            method = "CREATED"
        accounts.append({"idx": i, "id": aid, "name": name, "badness": badness,
                         "joined_ms": joined * 1000 + rng.randrange(1000), "method": method})
    names = [a["name"] for a in accounts]
    mgmt = accounts[names.index(MANAGEMENT_NAME)] if MANAGEMENT_NAME in names else accounts[0]
    if len(accounts) >= 2:
        nf = accounts[names.index(NO_FACTS_NAME)] if NO_FACTS_NAME in names else accounts[-2]
        if nf is mgmt:
            nf = accounts[-1]
    else:
        nf = None
    for a in accounts:
        a["has_facts"] = a is not nf
        a["is_mgmt"] = a is mgmt
    # Account-level verdicts are few (one per account), so pick them by rank rather than by chance:
    # the worst ~25% (password policy) / ~20% (root access key) by badness plus noise fail.
    for key, share in (("pw_nc", 0.25), ("root_key_nc", 0.20)):
        ranked = sorted(accounts, key=lambda a: -(a["badness"] + rng.uniform(-0.3, 0.3)))
        cut = int(round(len(accounts) * share))
        for k, a in enumerate(ranked):
            a[key] = k < cut
    org_id = "o-" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=10))
    return accounts, mgmt, org_id


def accounts_json(accounts, mgmt, org_id):
    out = []
    for a in accounts:
        out.append({
            "Id": a["id"],
            "Arn": "arn:aws:organizations::%s:account/%s/%s" % (mgmt["id"], org_id, a["id"]),
            "Email": "aws+%s@%s" % (a["name"], EMAIL_DOMAIN),
            "Name": a["name"],
            "Status": "ACTIVE",
            "JoinedMethod": a["method"],
            "JoinedTimestamp": iso_cli(a["joined_ms"]),
        })
    return {"Accounts": out}


def organization_json(mgmt, org_id):
    return {"Organization": {
        "Id": org_id,
        "Arn": "arn:aws:organizations::%s:organization/%s" % (mgmt["id"], org_id),
        "FeatureSet": "ALL",
        "MasterAccountArn": "arn:aws:organizations::%s:account/%s/%s" % (mgmt["id"], org_id, mgmt["id"]),
        "MasterAccountId": mgmt["id"],
        "MasterAccountEmail": "aws+%s@%s" % (mgmt["name"], EMAIL_DOMAIN),
        "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
        "Name": ORG_NAME,
    }}


# --------------------------------------------------------------------------------------------------
# Per-account generation (runs in worker processes)


class Gen:
    def __init__(self, cfg, acct):
        self.cfg = cfg
        self.a = acct
        self.acct = acct["id"]
        self.rng = random.Random("%s:acct:%d" % (cfg["seed"], acct["idx"]))
        self.factor = 0.3 + 1.4 * acct["badness"]
        self.as_of_ms = cfg["as_of"] * 1000
        self.expected = []
        self.stats = {}
        self.files = 0
        self.raw_bytes = 0
        self.disk_bytes = 0
        # canonical user id of the account (S3 owner)
        self.canonical = "%064x" % self.rng.getrandbits(256)

    # -- helpers --------------------------------------------------------------------------------
    def nc(self, rule):
        return self.rng.random() < min(0.95, BASE_NC[rule] * self.factor)

    def expect(self, rule, rtype, rid, region, verdict):
        if self.cfg["expected"]:
            self.expected.append((rule, rtype, rid, self.acct, region, verdict))

    def count(self, key, n=1):
        self.stats[key] = self.stats.get(key, 0) + n

    def past_ms(self, lo_days, hi_days):
        return self.as_of_ms - self.rng.randrange(lo_days * 86400000, hi_days * 86400000)

    def write(self, relpath, text):
        path = os.path.join(self.cfg["out"], relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode("utf-8")
        self.raw_bytes += len(data)
        if relpath.endswith(".gz"):
            data = gzip.compress(data, compresslevel=self.cfg["level"], mtime=0)
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.disk_bytes += len(data)

    def write_json_cli(self, relpath, obj):
        # The AWS CLI prints JSON with four-space indentation.
        self.write(relpath, json.dumps(obj, indent=4, ensure_ascii=False) + "\n")

    # -- account ---------------------------------------------------------------------------------
    def run(self):
        cfg = self.cfg
        rng = self.rng
        regions = cfg["regions"]
        # Account-level S3 Block Public Access: 'full' (all four true), 'off' (all four false), None.
        r = rng.random()
        if r < 0.45 - 0.35 * self.a["badness"]:
            self.account_bpa = "full"
        elif r < 0.55 - 0.3 * self.a["badness"]:
            self.account_bpa = "off"
        else:
            self.account_bpa = None
        self.groups = [("Administrators", "AGPA" + b32id(rng, 17)), ("Developers", "AGPA" + b32id(rng, 17)),
                       ("ReadOnly", "AGPA" + b32id(rng, 17))]
        self.users = []          # for the credential report
        self.flowlog_facts = {}  # region -> list
        for ri, region in enumerate(regions):
            self.region_run(ri, region)
        if self.a["has_facts"]:
            self.write_iam_facts(regions[0])
            # `aws s3control get-public-access-block`; when nothing is configured the CLI fails with
            # NoSuchPublicAccessBlockConfiguration and scripts/collect-facts writes all four false.
            full = self.account_bpa == "full"
            self.write_json_cli("facts/%s/%s/s3control-get-public-access-block.json" % (self.acct, regions[0]),
                                {"PublicAccessBlockConfiguration": {
                                    "BlockPublicAcls": full, "IgnorePublicAcls": full,
                                    "BlockPublicPolicy": full, "RestrictPublicBuckets": full}})
            for region in regions:
                self.write_json_cli("facts/%s/%s/ec2-describe-flow-logs.json" % (self.acct, region),
                                    {"FlowLogs": self.flowlog_facts.get(region, [])})
            self.write_account_facts(regions)
        return {"stats": self.stats, "expected": self.expected, "files": self.files,
                "raw_bytes": self.raw_bytes, "disk_bytes": self.disk_bytes}

    def region_run(self, ri, region):
        rng = self.rng
        cfg = self.cfg
        n = cfg["per_region"] * cfg["scale"] * rng.uniform(0.85, 1.15)
        self.region = region
        self.azs = [region + s for s in "abc"]
        self.snap_ms = self.as_of_ms + (ri * 7 + rng.randrange(0, 5)) * 60000 + rng.randrange(60000)
        # The six-hour window covered by the history file(s) written for this account-region.
        win_end = (cfg["as_of"] - 12 * 3600) // 21600 * 21600
        self.win = (win_end - 21600, win_end)   # seconds
        self.snapshot = []
        self.history = {}   # resource type -> [items]

        def cnt(key, minimum=0):
            return max(minimum, int(round(n * MIX[key] * rng.uniform(0.8, 1.2))))

        vpcs = self.gen_vpcs(cnt("vpc", 1))
        sgs = self.gen_sgs(vpcs, cnt("sg", 1))
        n_inst = cnt("instance")
        self.gen_instances_and_volumes(vpcs, sgs, n_inst, max(n_inst, cnt("volume")))
        self.gen_buckets(cnt("bucket"))
        self.gen_rds(vpcs, sgs, cnt("rds"))
        if self.account_bpa is not None:
            self.gen_account_bpa()
        if ri == 0:
            self.gen_users(cnt("user", 2))
        self.gen_vpc_relationships(vpcs)
        self.flush_region()

    # -- time helpers for one resource -----------------------------------------------------------
    def times_plain(self):
        """(created, captured) for a resource with no history in the written window."""
        created = self.past_ms(20, 2400)
        lo = created + 1000
        hi = self.win[0] * 1000 - 1000
        captured = lo + self.rng.randrange(max(1, hi - lo)) if hi > lo else lo
        return created, captured

    def times_changed(self):
        """(created, history_capture, snapshot_capture): history inside the window, latest after it."""
        rng = self.rng
        created = self.past_ms(30, 2400)
        hist = self.win[0] * 1000 + rng.randrange(0, 21600000 - 1000)
        latest = self.win[1] * 1000 + rng.randrange(1000, max(2000, self.snap_ms - self.win[1] * 1000 - 60000))
        return created, hist, latest

    def times_deleted(self):
        rng = self.rng
        created = self.past_ms(30, 1200)
        before = self.win[0] * 1000 + rng.randrange(0, 3 * 3600000)
        gone = self.win[0] * 1000 + rng.randrange(3 * 3600000 + 1000, 21600000 - 1000)
        return created, before, gone

    def status_for(self, created, captured):
        return "ResourceDiscovered" if captured - created < 3600000 else "OK"

    def add_history(self, rtype, item):
        self.history.setdefault(rtype, []).append(item)

    def want_flip(self):
        return self.cfg["history"] and self.rng.random() < 0.03

    def n_deleted(self, per):
        """How many deleted resources of one type to add in this account-region."""
        if not self.cfg["history"]:
            return 0
        return int(per * 0.01 + self.rng.random())

    def emit(self, make, spec, rtype, rid, verdicts, flip_fn=None):
        """Write a resource: plain snapshot item, or older history capture + newer snapshot capture."""
        if flip_fn is not None and self.want_flip():
            old_spec = flip_fn(spec)
            if old_spec is not None:
                created, hist, latest = self.times_changed()
                self.add_history(rtype, make(old_spec, created, hist, "OK"))
                self.snapshot.append(make(spec, created, latest, "OK"))
                self.count("flipped:" + rtype)
                self.count("history_items")
                for rule, v in verdicts.items():
                    self.expect(rule, rtype, rid, self.region_of(rtype), v)
                return
        created, captured = self.times_plain()
        self.snapshot.append(make(spec, created, captured, self.status_for(created, captured)))
        for rule, v in verdicts.items():
            self.expect(rule, rtype, rid, self.region_of(rtype), v)

    def emit_deleted(self, make, spec, rtype, rid):
        created, before, gone = self.times_deleted()
        prev = make(spec, created, before, "OK")
        self.add_history(rtype, prev)
        self.add_history(rtype, deleted_ci(prev, gone))
        self.count("deleted:" + rtype)
        self.count("history_items", 2)
        for rule in RULES_BY_TYPE.get(rtype, []):
            if rule in FACT_RULES and not self.a["has_facts"]:
                continue
            self.expect(rule, rtype, rid, self.region_of(rtype), NA)

    def region_of(self, rtype):
        # Evaluations are reported in the region the rule ran in, never "global": IAM users (whose
        # items say awsRegion "global") are evaluated in the first region, where their items and
        # the IAM facts are.
        return self.region

    # -- VPC + flow logs -------------------------------------------------------------------------
    def gen_vpcs(self, count):
        rng = self.rng
        vpcs = []
        for k in range(count):
            vid = "vpc-" + hexid(rng)
            is_default = k == 0
            name = None if is_default else "%s-%s" % (self.a["name"], ["app", "data", "shared", "edge", "batch"][k % 5] + ("" if k < 6 else str(k)))
            cidr = "172.31.0.0/16" if is_default else "10.%d.0.0/16" % ((k * 7 + self.a["idx"]) % 250)
            v = {"id": vid, "default": is_default, "name": name, "cidr": cidr,
                 "subnets": ["subnet-" + hexid(rng) for _ in range(3)], "sgs": [], "sg_objs": [], "instances": [],
                 "dhcp": "dopt-" + hexid(rng, 8), "assoc": "vpc-cidr-assoc-" + hexid(rng)}
            has_fl = not self.nc(R_FLOW)
            if has_fl:
                self.gen_flowlog(v)
            v["verdict"] = C if has_fl else NC
            vpcs.append(v)
        return vpcs

    def gen_vpc_relationships(self, vpcs):
        for v in vpcs:
            def make(spec, created, captured, status, v=v):
                conf = {
                    "cidrBlock": v["cidr"], "dhcpOptionsId": v["dhcp"], "state": "available",
                    "vpcId": v["id"], "ownerId": self.acct, "instanceTenancy": "default",
                    "ipv6CidrBlockAssociationSet": [],
                    "cidrBlockAssociationSet": [{"associationId": v["assoc"], "cidrBlock": v["cidr"],
                                                 "cidrBlockState": {"state": "associated"}}],
                    "isDefault": v["default"],
                    "tags": [{"key": "Name", "value": v["name"]}] if v["name"] else [],
                }
                rels = [rel("AWS::EC2::SecurityGroup", s, "Contains SecurityGroup") for s in v["sgs"]]
                rels += [rel("AWS::EC2::Instance", i, "Contains Instance") for i in v["instances"]]
                rels += [rel("AWS::EC2::Subnet", s, "Contains Subnet") for s in v["subnets"]]
                return ci(self.acct, self.region, "AWS::EC2::VPC", v["id"], None,
                          "arn:aws:ec2:%s:%s:vpc/%s" % (self.region, self.acct, v["id"]),
                          "Multiple Availability Zones", created, captured, status,
                          {"Name": v["name"]} if v["name"] else {}, rels, conf, {})
            self.emit(make, None, "AWS::EC2::VPC", v["id"], {R_FLOW: v["verdict"]})
            self.count("ci:AWS::EC2::VPC")

    def gen_flowlog(self, v):
        rng = self.rng
        fid = "fl-" + hexid(rng)
        created = self.past_ms(15, 1500)
        traffic = "ALL" if rng.random() < 0.85 else "REJECT"
        to_s3 = rng.random() < 0.3
        name = "%s-flowlogs" % (v["name"] or "default-vpc")
        fmt = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
               "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
        conf = {"creationTime": created, "deliverLogsStatus": "SUCCESS", "flowLogId": fid,
                "flowLogStatus": "ACTIVE", "resourceId": v["id"], "trafficType": traffic}
        fact = {"CreationTime": iso_cli(created), "DeliverLogsStatus": "SUCCESS", "FlowLogId": fid,
                "FlowLogStatus": "ACTIVE", "ResourceId": v["id"], "TrafficType": traffic}
        if to_s3:
            dest = "arn:aws:s3:::acme-log-archive-vpc-flow-logs/%s/" % self.acct
            conf.update({"logDestinationType": "s3", "logDestination": dest,
                         "destinationOptions": {"fileFormat": "plain-text", "hiveCompatiblePartitions": False,
                                                "perHourPartition": False}})
            fact.update({"LogDestinationType": "s3", "LogDestination": dest})
        else:
            role = "arn:aws:iam::%s:role/vpc-flow-logs-delivery" % self.acct
            group = "/aws/vpc/flowlogs/%s" % v["id"]
            conf.update({"deliverLogsPermissionArn": role, "logGroupName": group,
                         "logDestinationType": "cloud-watch-logs",
                         "logDestination": "arn:aws:logs:%s:%s:log-group:%s" % (self.region, self.acct, group)})
            fact.update({"DeliverLogsPermissionArn": role, "LogGroupName": group,
                         "LogDestinationType": "cloud-watch-logs",
                         "LogDestination": "arn:aws:logs:%s:%s:log-group:%s" % (self.region, self.acct, group)})
        conf.update({"logFormat": fmt, "tags": [{"key": "Name", "value": name}], "maxAggregationInterval": 600})
        fact.update({"LogFormat": fmt, "Tags": [{"Key": "Name", "Value": name}], "MaxAggregationInterval": 600})
        ordered_fact = {k: fact[k] for k in ("CreationTime", "DeliverLogsPermissionArn", "DeliverLogsStatus",
                                             "FlowLogId", "FlowLogStatus", "LogGroupName", "ResourceId",
                                             "TrafficType", "LogDestinationType", "LogDestination",
                                             "LogFormat", "Tags", "MaxAggregationInterval") if k in fact}
        self.flowlog_facts.setdefault(self.region, []).append(ordered_fact)
        captured = created + rng.randrange(1000, 600000)
        self.snapshot.append(ci(self.acct, self.region, "AWS::EC2::FlowLog", fid, None,
                                "arn:aws:ec2:%s:%s:vpc-flow-log/%s" % (self.region, self.acct, fid),
                                "Not Applicable", created, captured, "ResourceDiscovered",
                                {"Name": name}, [], conf, {}))
        self.count("ci:AWS::EC2::FlowLog")

    # -- security groups ---------------------------------------------------------------------------
    @staticmethod
    def perm(proto, lo=None, hi=None, v4=(), v6=(), pairs=()):
        return {"fromPort": lo, "ipProtocol": proto, "ipv6Ranges": [{"cidrIpv6": c} for c in v6],
                "prefixListIds": [], "toPort": hi, "userIdGroupPairs": list(pairs),
                "ipv4Ranges": [{"cidrIp": c} for c in v4], "ipRanges": list(v4)}

    # Ingress patterns. Each is (kind, builder(self_sg_id, acct) -> [perm]) and is unambiguous
    # under INCOMING_SSH_DISABLED (open = 0.0.0.0/0 or ::/0 covering tcp/22, or protocol -1).
    SG_OPEN = [
        ("ssh-world", lambda s, a: [Gen.perm("tcp", 22, 22, v4=["0.0.0.0/0"])]),
        ("ssh-world-v6", lambda s, a: [Gen.perm("tcp", 22, 22, v6=["::/0"])]),
        ("ssh-world-both", lambda s, a: [Gen.perm("tcp", 22, 22, v4=["0.0.0.0/0"], v6=["::/0"])]),
        ("all-traffic-world", lambda s, a: [Gen.perm("-1", v4=["0.0.0.0/0"])]),
        ("all-tcp-world", lambda s, a: [Gen.perm("tcp", 0, 65535, v4=["0.0.0.0/0"])]),
        ("low-ports-world", lambda s, a: [Gen.perm("tcp", 1, 1024, v4=["0.0.0.0/0"])]),
        ("ssh-world-plus-https", lambda s, a: [Gen.perm("tcp", 443, 443, v4=["0.0.0.0/0"]),
                                               Gen.perm("tcp", 22, 22, v4=["10.0.0.0/8", "0.0.0.0/0"])]),
    ]
    SG_CLOSED = [
        ("web-world", lambda s, a: [Gen.perm("tcp", 443, 443, v4=["0.0.0.0/0"], v6=["::/0"]),
                                    Gen.perm("tcp", 80, 80, v4=["0.0.0.0/0"], v6=["::/0"])]),
        ("ssh-corp", lambda s, a: [Gen.perm("tcp", 22, 22, v4=["10.0.0.0/8", "203.0.113.0/24"])]),
        ("ssh-from-bastion-sg", lambda s, a: [Gen.perm("tcp", 22, 22, pairs=[{"groupId": s, "userId": a}])]),
        ("db-internal", lambda s, a: [Gen.perm("tcp", 5432, 5432, v4=["10.0.0.0/8"]),
                                      Gen.perm("tcp", 3306, 3306, v4=["10.0.0.0/8"])]),
        ("rdp-corp", lambda s, a: [Gen.perm("tcp", 3389, 3389, v4=["198.51.100.0/24"])]),
        ("near-miss-world", lambda s, a: [Gen.perm("tcp", 2222, 2222, v4=["0.0.0.0/0"]),
                                          Gen.perm("tcp", 23, 25, v4=["0.0.0.0/0"])]),
        ("all-traffic-internal", lambda s, a: [Gen.perm("-1", v4=["10.0.0.0/8"])]),
        ("app-ports-world", lambda s, a: [Gen.perm("tcp", 8080, 8090, v4=["0.0.0.0/0"])]),
        ("no-ingress", lambda s, a: []),
    ]
    EGRESS_ALL = [perm.__func__("-1", v4=["0.0.0.0/0"])]
    SG_NAMES = ["web-alb", "app-tier", "bastion", "db-tier", "cache", "batch-workers", "eks-nodes",
                "vpn-endpoint", "monitoring", "ci-runners", "internal-api", "etl"]

    def gen_sgs(self, vpcs, count):
        rng = self.rng
        sgs = []
        # Every VPC has its "default" group first.
        count = max(count, len(vpcs))
        for k in range(count):
            v = vpcs[k] if k < len(vpcs) else rng.choice(vpcs)
            gid = "sg-" + hexid(rng)
            if k < len(vpcs):
                name, desc = "default", "default VPC security group"
            elif rng.random() < 0.15:
                name = "launch-wizard-%d" % rng.randint(1, 40)
                desc = "%s created %s" % (name, iso_ms(self.past_ms(30, 2000))[:19])
            else:
                name = rng.choice(self.SG_NAMES) + "-" + hexid(rng, 4)
                desc = "Security group for %s" % name
            is_nc = self.nc(R_SSH)
            if name == "default":
                # default groups: self-referencing all traffic (compliant) unless opened.
                spec = {"open": None, "closed": "default-self"} if not is_nc else \
                    {"open": rng.randrange(len(self.SG_OPEN)), "closed": "default-self"}
            else:
                spec = {"open": rng.randrange(len(self.SG_OPEN)) if is_nc else None,
                        "closed": rng.randrange(len(self.SG_CLOSED))}
            sg = {"id": gid, "name": name, "desc": desc, "vpc": v}
            v["sgs"].append(gid)
            v["sg_objs"].append(sg)
            sgs.append(sg)

            def make(spec, created, captured, status, sg=sg):
                perms = []
                if spec["closed"] == "default-self":
                    perms.append(Gen.perm("-1", pairs=[{"groupId": sg["id"], "userId": self.acct}]))
                else:
                    perms += self.SG_CLOSED[spec["closed"]][1](sg["id"], self.acct)
                if spec["open"] is not None:
                    perms += self.SG_OPEN[spec["open"]][1](sg["id"], self.acct)
                conf = {"description": sg["desc"], "groupName": sg["name"], "ipPermissions": perms,
                        "ownerId": self.acct, "groupId": sg["id"],
                        "ipPermissionsEgress": self.EGRESS_ALL,
                        "tags": [], "vpcId": sg["vpc"]["id"]}
                return ci(self.acct, self.region, "AWS::EC2::SecurityGroup", sg["id"], sg["name"],
                          "arn:aws:ec2:%s:%s:security-group/%s" % (self.region, self.acct, sg["id"]),
                          "Not Applicable", created, captured, status, {},
                          [rel("AWS::EC2::VPC", sg["vpc"]["id"], "Is contained in Vpc")], conf, {})

            def flip(spec):
                old = dict(spec)
                if spec["open"] is None:
                    old["open"] = self.rng.randrange(len(self.SG_OPEN))   # was open, since fixed
                else:
                    old["open"] = None                                     # opened recently
                return old

            self.emit(make, spec, "AWS::EC2::SecurityGroup", gid, {R_SSH: NC if is_nc else C}, flip)
            self.count("ci:AWS::EC2::SecurityGroup")
        for _ in range(self.n_deleted(count)):
            v = rng.choice(vpcs)
            gid = "sg-" + hexid(rng)
            sg = {"id": gid, "name": "tmp-" + hexid(rng, 4), "desc": "temporary", "vpc": v}

            def make(spec, created, captured, status, sg=sg):
                conf = {"description": sg["desc"], "groupName": sg["name"],
                        "ipPermissions": self.SG_OPEN[0][1](sg["id"], self.acct),
                        "ownerId": self.acct, "groupId": sg["id"],
                        "ipPermissionsEgress": self.EGRESS_ALL,
                        "tags": [], "vpcId": sg["vpc"]["id"]}
                return ci(self.acct, self.region, "AWS::EC2::SecurityGroup", sg["id"], sg["name"],
                          "arn:aws:ec2:%s:%s:security-group/%s" % (self.region, self.acct, sg["id"]),
                          "Not Applicable", created, captured, status, {},
                          [rel("AWS::EC2::VPC", sg["vpc"]["id"], "Is contained in Vpc")], conf, {})
            self.emit_deleted(make, None, "AWS::EC2::SecurityGroup", gid)
        return sgs

    # -- instances + volumes -------------------------------------------------------------------
    INSTANCE_TYPES = ["t3.micro", "t3.medium", "m5.large", "m6i.xlarge", "c6g.large", "r5.2xlarge", "t2.micro"]
    ENVS = ["production", "staging", "development", "qa"]
    OWNERS = ["platform-team", "payments-team", "data-eng", "sre", "security", "web-team", "ml-team"]
    PROJECTS = ["ledger", "checkout", "risk-engine", "customer-portal", "reporting", "kyc", "datalake"]

    def instance_tags(self, nc):
        rng = self.rng
        full = {"Environment": rng.choice(self.ENVS), "Owner": rng.choice(self.OWNERS),
                "CostCenter": "CC-%04d" % rng.randint(1000, 9999), "Project": rng.choice(self.PROJECTS)}
        if nc:
            missing = rng.sample(REQUIRED_TAG_KEYS, rng.choice([1, 1, 1, 2, 2, 3, 4]))
            for k in missing:
                del full[k]
        tags = {"Name": "%s-%s" % (rng.choice(["web", "api", "worker", "bastion", "etl", "app"]), hexid(rng, 4))}
        tags.update(full)
        if rng.random() < 0.3:
            tags["aws:autoscaling:groupName"] = "asg-" + hexid(rng, 6)
        return tags

    def gen_instances_and_volumes(self, vpcs, sgs, n_inst, n_vol):
        rng = self.rng
        insts = []
        for _ in range(n_inst):
            v = rng.choice(vpcs)
            cand = v["sg_objs"]
            sg = cand[1 + rng.randrange(len(cand) - 1)] if len(cand) > 1 else cand[0]   # [0] is "default"
            k = rng.randrange(3)
            inst = {"id": "i-" + hexid(rng), "vpc": v, "sg": sg, "subnet": v["subnets"][k], "az": self.azs[k],
                    "type": rng.choice(self.INSTANCE_TYPES), "ami": "ami-" + hexid(rng),
                    "eni": "eni-" + hexid(rng), "ip": "%s.%d.%d" % (v["cidr"].rsplit(".", 2)[0], rng.randrange(256), rng.randrange(1, 255)),
                    "running": rng.random() < 0.85, "launch": self.past_ms(10, 1500), "vols": []}
            v["instances"].append(inst["id"])
            insts.append(inst)
        # Volumes: one root volume per instance, then data volumes (attached) and unattached ones.
        vols = []
        for inst in insts:
            vols.append({"id": "vol-" + hexid(rng), "inst": inst, "dev": "/dev/xvda", "az": inst["az"]})
        extra = n_vol - n_inst
        for j in range(extra):
            if insts and rng.random() < 0.45:
                inst = rng.choice(insts)
                vols.append({"id": "vol-" + hexid(rng), "inst": inst,
                             "dev": "/dev/sd%s" % "fghijklmnop"[len(inst["vols"]) % 11], "az": inst["az"]})
            else:
                vols.append({"id": "vol-" + hexid(rng), "inst": None, "dev": None, "az": rng.choice(self.azs)})
        for vol in vols:
            if vol["inst"] is not None:
                vol["inst"]["vols"].append(vol)
        kms_key = "arn:aws:kms:%s:%s:key/%s" % (self.region, self.acct, det_uuid(rng))

        for vol in vols:
            attached = vol["inst"] is not None
            if attached:
                enc = not self.nc(R_VOL)
                verdict = C if enc else NC
            else:
                enc = rng.random() < 0.5
                verdict = NA
            spec = {"attached": attached, "enc": enc}
            vol["size"] = rng.choice([8, 8, 20, 30, 50, 100, 200, 500])
            vol["vtype"] = rng.choice(["gp3", "gp3", "gp2", "io1", "st1"])
            vol["snap"] = "snap-" + hexid(rng) if rng.random() < 0.6 else ""
            vol["ghost"] = "i-" + hexid(rng)

            def make(spec, created, captured, status, vol=vol):
                if spec["attached"]:
                    iid = vol["inst"]["id"] if vol["inst"] is not None else vol["ghost"]
                    dev = vol["dev"] or "/dev/sdf"
                    atts = [{"attachTime": iso_ms(created + 5000), "device": dev, "instanceId": iid,
                             "state": "attached", "volumeId": vol["id"], "deleteOnTermination": dev == "/dev/xvda"}]
                    rels = [rel("AWS::EC2::Instance", iid, "Is attached to Instance")]
                    state = "in-use"
                else:
                    atts, rels, state = [], [], "available"
                conf = {"attachments": atts, "availabilityZone": vol["az"], "createTime": iso_ms(created),
                        "encrypted": spec["enc"], "size": vol["size"], "snapshotId": vol["snap"],
                        "state": state, "volumeId": vol["id"], "iops": 3000 if vol["vtype"] in ("gp3", "io1") else 100,
                        "tags": [], "volumeType": vol["vtype"], "multiAttachEnabled": False}
                if spec["enc"]:
                    conf["kmsKeyId"] = kms_key
                return ci(self.acct, self.region, "AWS::EC2::Volume", vol["id"], None,
                          "arn:aws:ec2:%s:%s:volume/%s" % (self.region, self.acct, vol["id"]),
                          vol["az"], created, captured, status, {}, rels, conf, {})

            def flip(spec):
                # Only unattached, unencrypted volumes: once attached (NON_COMPLIANT), now detached.
                if spec["attached"] or spec["enc"]:
                    return None
                return {"attached": True, "enc": False}

            self.emit(make, spec, "AWS::EC2::Volume", vol["id"], {R_VOL: verdict}, flip)
            self.count("ci:AWS::EC2::Volume")
        for _ in range(self.n_deleted(len(vols))):
            vol = {"id": "vol-" + hexid(rng), "inst": None, "dev": None, "az": rng.choice(self.azs),
                   "size": 100, "vtype": "gp2", "snap": "", "ghost": "i-" + hexid(rng)}

            def make(spec, created, captured, status, vol=vol):
                conf = {"attachments": [], "availabilityZone": vol["az"], "createTime": iso_ms(created),
                        "encrypted": False, "size": vol["size"], "snapshotId": "", "state": "available",
                        "volumeId": vol["id"], "iops": 300, "tags": [], "volumeType": vol["vtype"],
                        "multiAttachEnabled": False}
                return ci(self.acct, self.region, "AWS::EC2::Volume", vol["id"], None,
                          "arn:aws:ec2:%s:%s:volume/%s" % (self.region, self.acct, vol["id"]),
                          vol["az"], created, captured, status, {}, [], conf, {})
            self.emit_deleted(make, None, "AWS::EC2::Volume", vol["id"])

        for inst in insts:
            is_nc = self.nc(R_TAGS)
            tags = self.instance_tags(is_nc)
            spec = {"tags": tags}

            def make(spec, created, captured, status, inst=inst):
                return self.instance_ci(inst, spec["tags"], created, captured, status)

            def flip(spec):
                old = dict(spec["tags"])
                missing = [k for k in REQUIRED_TAG_KEYS if k not in old]
                if missing:                      # tags were complete, someone removed some
                    for k in missing:
                        old[k] = {"Environment": "production", "Owner": "platform-team",
                                  "CostCenter": "CC-1000", "Project": "ledger"}[k]
                else:                            # tags were incomplete, since fixed
                    del old[self.rng.choice(REQUIRED_TAG_KEYS)]
                return {"tags": old}

            self.emit(make, spec, "AWS::EC2::Instance", inst["id"], {R_TAGS: NC if is_nc else C}, flip)
            self.count("ci:AWS::EC2::Instance")
        for _ in range(self.n_deleted(len(insts))):
            v = rng.choice(vpcs)
            inst = {"id": "i-" + hexid(rng), "vpc": v, "sg": rng.choice(sgs), "subnet": v["subnets"][0],
                    "az": self.azs[0], "type": "t3.micro", "ami": "ami-" + hexid(rng), "eni": "eni-" + hexid(rng),
                    "ip": "10.0.0.10", "running": False, "launch": self.past_ms(40, 400), "vols": []}
            tags = self.instance_tags(False)

            def make(spec, created, captured, status, inst=inst, tags=tags):
                return self.instance_ci(inst, tags, created, captured, status)
            self.emit_deleted(make, None, "AWS::EC2::Instance", inst["id"])

    def instance_ci(self, inst, tags, created, captured, status):
        running = inst["running"]
        inst["launch"] = created
        bdm = [{"deviceName": vol["dev"], "ebs": {"attachTime": iso_ms(inst["launch"] + 2000),
                                                  "deleteOnTermination": vol["dev"] == "/dev/xvda",
                                                  "status": "attached", "volumeId": vol["id"]}}
               for vol in inst["vols"]]
        sgref = {"groupName": inst["sg"]["name"], "groupId": inst["sg"]["id"]}
        dns = "ip-%s.%s.compute.internal" % (inst["ip"].replace(".", "-"), self.region)
        conf = {
            "amiLaunchIndex": 0, "imageId": inst["ami"], "instanceId": inst["id"],
            "instanceType": inst["type"], "launchTime": iso_ms(inst["launch"]),
            "monitoring": K_MONITORING_OFF,
            "placement": {"availabilityZone": inst["az"], "groupName": "", "tenancy": "default"},
            "privateDnsName": dns, "privateIpAddress": inst["ip"], "productCodes": [],
            "publicDnsName": "",
            "state": K_STATE_RUNNING if running else K_STATE_STOPPED,
            "stateTransitionReason": "" if running else "User initiated",
            "subnetId": inst["subnet"], "vpcId": inst["vpc"]["id"], "architecture": "x86_64",
            "blockDeviceMappings": bdm, "clientToken": "", "ebsOptimized": True, "enaSupport": True,
            "hypervisor": "xen",
            "networkInterfaces": [{
                "attachment": {"attachTime": iso_ms(inst["launch"]), "attachmentId": "eni-attach-" + inst["eni"][4:],
                               "deleteOnTermination": True, "deviceIndex": 0, "status": "attached"},
                "description": "", "groups": [sgref], "ipv6Addresses": [],
                "macAddress": "02:%s" % ":".join(inst["eni"][4 + 2 * i:6 + 2 * i] for i in range(5)),
                "networkInterfaceId": inst["eni"], "ownerId": self.acct, "privateDnsName": dns,
                "privateIpAddress": inst["ip"],
                "privateIpAddresses": [{"primary": True, "privateDnsName": dns, "privateIpAddress": inst["ip"]}],
                "sourceDestCheck": True, "status": "in-use", "subnetId": inst["subnet"],
                "vpcId": inst["vpc"]["id"]}],
            "rootDeviceName": "/dev/xvda", "rootDeviceType": "ebs", "securityGroups": [sgref],
            "sourceDestCheck": True,
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
            "virtualizationType": "hvm",
            "metadataOptions": K_METADATA_OPTIONS,
        }
        rels = [rel("AWS::EC2::NetworkInterface", inst["eni"], "Contains NetworkInterface"),
                rel("AWS::EC2::SecurityGroup", inst["sg"]["id"], "Is associated with SecurityGroup"),
                rel("AWS::EC2::Subnet", inst["subnet"], "Is contained in Subnet")]
        rels += [rel("AWS::EC2::Volume", vol["id"], "Is attached to Volume") for vol in inst["vols"]]
        rels.append(rel("AWS::EC2::VPC", inst["vpc"]["id"], "Is contained in Vpc"))
        return ci(self.acct, self.region, "AWS::EC2::Instance", inst["id"], None,
                  "arn:aws:ec2:%s:%s:instance/%s" % (self.region, self.acct, inst["id"]),
                  inst["az"], created, captured, status, dict(tags), rels, conf, {})

    # -- S3 buckets --------------------------------------------------------------------------------
    PURPOSES = ["logs", "artifacts", "data-lake", "backups", "static-site", "uploads", "reports",
                "tfstate", "athena-results", "exports", "media", "archive", "config", "ml-datasets"]

    def gen_buckets(self, count):
        rng = self.rng
        acct_acl_blocked = self.account_bpa == "full"
        acct_pol_blocked = self.account_bpa == "full"
        kms_key = "arn:aws:kms:%s:%s:key/%s" % (self.region, self.acct, det_uuid(rng))
        other_acct = "%012d" % rng.randrange(100000000000, 999999999999)
        for _ in range(count):
            purpose = rng.choice(self.PURPOSES)
            name = ("acme-%s-%s-%s-%s" % (self.a["name"], purpose, region_code(self.region), hexid(rng, 6)))[:63]
            read_nc = self.nc(R_S3_READ)
            write_nc = self.nc(R_S3_WRITE)
            if acct_acl_blocked:      # account-level BPA blocks everything: cannot be public
                read_nc = write_nc = False
            # Bucket-level BPA. Pairs are set together (blockPublicAcls+ignorePublicAcls,
            # blockPublicPolicy+restrictPublicBuckets) so each channel is simply blocked or not.
            if read_nc or write_nc:
                bpa = rng.choices(["absent", "off", "acl", "policy"], [0.5, 0.2, 0.15, 0.15])[0]
            else:
                bpa = rng.choices(["full", "absent", "off", "acl", "policy"], [0.55, 0.3, 0.05, 0.05, 0.05])[0]
            acl_open = not (acct_acl_blocked or bpa in ("full", "acl"))
            pol_open = not (acct_pol_blocked or bpa in ("full", "policy"))
            spec = {"name": name, "bpa": bpa, "acl": [], "stmts": [], "sse": None, "purpose": purpose}
            open_channels = [c for c, o in (("acl", acl_open), ("policy", pol_open)) if o]
            write_done = False
            if read_nc:
                ch = rng.choice(open_channels)
                if ch == "acl":
                    if write_nc and rng.random() < 0.3:
                        spec["acl"].append(("AllUsers", "FullControl"))
                        write_done = True
                    else:
                        spec["acl"].append((rng.choice(["AllUsers", "AllUsers", "AuthenticatedUsers"]), "Read"))
                else:
                    spec["stmts"].append("public-read")
            if write_nc and not write_done:
                ch = rng.choice(open_channels)
                if ch == "acl":
                    spec["acl"].append((rng.choice(["AllUsers", "AuthenticatedUsers"]), "Write"))
                else:
                    spec["stmts"].append("public-write")
            # Ineffective public grants on a blocked channel (BPA makes them harmless).
            if not acl_open and rng.random() < 0.35:
                spec["acl"].append((rng.choice(["AllUsers", "AuthenticatedUsers"]), rng.choice(["Read", "Write", "FullControl"])))
            if not pol_open and rng.random() < 0.35:
                spec["stmts"].append(rng.choice(["public-read", "public-write"]))
            # Non-public extras.
            if purpose == "logs" and rng.random() < 0.6:
                spec["acl"] += [("LogDelivery", "Write"), ("LogDelivery", "ReadAcp")]
            if rng.random() < 0.2:
                spec["stmts"].append("cross-account-read")
            # Encryption.
            sse_nc = self.nc(R_S3_SSE)
            if not sse_nc:
                if rng.random() < 0.08 and "public-write" not in spec["stmts"] and not write_nc:
                    spec["stmts"].append("deny-unencrypted-put")
                else:
                    spec["sse"] = "AES256" if rng.random() < 0.6 else "aws:kms"
            # TLS only.
            ssl_nc = self.nc(R_S3_SSL)
            if not ssl_nc:
                spec["stmts"].append("deny-insecure-transport")
            spec["versioning"] = rng.random() < 0.6
            spec["other"] = other_acct
            spec["kms"] = kms_key
            spec["policy_id"] = rng.random() < 0.4

            verdicts = {R_S3_READ: NC if read_nc else C, R_S3_WRITE: NC if write_nc else C,
                        R_S3_SSE: NC if sse_nc else C, R_S3_SSL: NC if ssl_nc else C}
            if self.account_bpa is None and not self.a["has_facts"]:
                # Nothing says what account-level Block Public Access does in this account (no
                # AccountPublicAccessBlock item, no s3control fact), so a bucket public by its own
                # settings gets no verdict: vigil warns instead of guessing.
                if read_nc:
                    del verdicts[R_S3_READ]
                if write_nc:
                    del verdicts[R_S3_WRITE]

            def flip(spec):
                old = dict(spec)
                old["stmts"] = list(spec["stmts"])
                kind = self.rng.choice(["sse", "ssl"])
                if kind == "sse":
                    if spec["sse"] is None and "deny-unencrypted-put" not in spec["stmts"]:
                        old["sse"] = "AES256"             # encryption was removed
                    else:
                        old["sse"] = None                  # encryption was added since
                        if "deny-unencrypted-put" in old["stmts"]:
                            old["stmts"].remove("deny-unencrypted-put")
                else:
                    if "deny-insecure-transport" in old["stmts"]:
                        old["stmts"].remove("deny-insecure-transport")
                    else:
                        old["stmts"].append("deny-insecure-transport")
                return old

            self.emit(self.bucket_ci, spec, "AWS::S3::Bucket", name, verdicts, flip)
            self.count("ci:AWS::S3::Bucket")
        for _ in range(self.n_deleted(count)):
            name = ("acme-%s-tmp-%s-%s" % (self.a["name"], region_code(self.region), hexid(rng, 8)))[:63]
            spec = {"name": name, "bpa": "absent", "acl": [("AllUsers", "Read")], "stmts": [], "sse": None,
                    "purpose": "tmp", "versioning": False, "other": other_acct, "kms": kms_key, "policy_id": False}
            self.emit_deleted(self.bucket_ci, spec, "AWS::S3::Bucket", name)

    def bucket_ci(self, spec, created, captured, status):
        name = spec["name"]
        arn = "arn:aws:s3:::" + name
        grants = [{"grantee": {"id": self.canonical, "displayName": None}, "permission": "FullControl"}]
        grants += [{"grantee": g, "permission": p} for g, p in spec["acl"]]
        acl = {"grantSet": None, "grantList": grants,
               "owner": {"displayName": None, "id": self.canonical}, "isRequesterCharged": False}
        stmts = []
        for s in spec["stmts"]:
            if s == "public-read":
                stmts.append({"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": "*",
                              "Action": "s3:GetObject", "Resource": arn + "/*"})
            elif s == "public-write":
                stmts.append({"Sid": "PublicUpload", "Effect": "Allow", "Principal": "*",
                              "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": arn + "/*"})
            elif s == "cross-account-read":
                stmts.append({"Sid": "CrossAccountRead", "Effect": "Allow",
                              "Principal": {"AWS": "arn:aws:iam::%s:root" % spec["other"]},
                              "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn, arn + "/*"]})
            elif s == "deny-unencrypted-put":
                stmts.append({"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*",
                              "Action": "s3:PutObject", "Resource": arn + "/*",
                              "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}})
                stmts.append({"Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*",
                              "Action": "s3:PutObject", "Resource": arn + "/*",
                              "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}})
            elif s == "deny-insecure-transport":
                stmts.append({"Sid": "AllowSSLRequestsOnly", "Effect": "Deny", "Principal": "*",
                              "Action": "s3:*", "Resource": [arn, arn + "/*"],
                              "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
        if stmts:
            pol = {"Version": "2012-10-17"}
            if spec["policy_id"]:
                pol["Id"] = "Policy" + name[-6:]
            pol["Statement"] = stmts
            policy = {"policyText": JSON_COMPACT(pol)}
        else:
            policy = K_S3_NO_POLICY
        supp = {
            "AccessControlList": JSON_COMPACT(acl),
            "BucketAccelerateConfiguration": K_S3_ACCELERATE,
            "BucketLoggingConfiguration": K_S3_LOGGING,
            "BucketNotificationConfiguration": K_S3_NOTIFICATION,
            "BucketPolicy": policy,
            "BucketVersioningConfiguration": K_S3_VERSIONING_ON if spec["versioning"] else K_S3_VERSIONING_OFF,
            "IsRequesterPaysEnabled": False,
        }
        bpa = spec["bpa"]
        if bpa != "absent":
            a = bpa in ("full", "acl")
            p = bpa in ("full", "policy")
            supp["PublicAccessBlockConfiguration"] = {"blockPublicAcls": a, "ignorePublicAcls": a,
                                                      "blockPublicPolicy": p, "restrictPublicBuckets": p}
        if spec["sse"] is not None:
            supp["ServerSideEncryptionConfiguration"] = {"rules": [{
                "applyServerSideEncryptionByDefault": {
                    "sseAlgorithm": spec["sse"],
                    "kmsMasterKeyID": spec["kms"] if spec["sse"] == "aws:kms" else None},
                "bucketKeyEnabled": spec["sse"] == "aws:kms"}]}
        tags = {}
        if spec["purpose"] != "tmp":
            tags = {"Owner": "platform-team", "DataClassification": "internal" if spec["purpose"] != "static-site" else "public"}
        conf = {"name": name, "owner": {"displayName": None, "id": self.canonical},
                "creationDate": iso_ms(created)}
        return ci(self.acct, self.region, "AWS::S3::Bucket", name, name, arn, "Regional",
                  created, captured, status, tags, [], conf, supp)

    def gen_account_bpa(self):
        full = self.account_bpa == "full"
        created = self.past_ms(60, 1500)
        captured = created + self.rng.randrange(1000, 3600000)
        self.snapshot.append(ci(self.acct, self.region, "AWS::S3::AccountPublicAccessBlock", self.acct,
                                None, None, "Not Applicable", created, captured, "ResourceDiscovered", {}, [],
                                {"blockPublicAcls": full, "ignorePublicAcls": full,
                                 "blockPublicPolicy": full, "restrictPublicBuckets": full}, {}))
        self.snapshot[-1].pop("resourceCreationTime", None)   # AWS writes none for this type
        self.count("ci:AWS::S3::AccountPublicAccessBlock")

    # -- RDS ---------------------------------------------------------------------------------------
    ENGINES = [("postgres", "15.5", 5432, "default.postgres15"), ("mysql", "8.0.35", 3306, "default.mysql8.0"),
               ("aurora-postgresql", "15.4", 5432, "default.aurora-postgresql15")]

    def gen_rds(self, vpcs, sgs, count):
        rng = self.rng
        for j in range(count):
            eng, ver, port, pg = rng.choice(self.ENGINES)
            ident = "%s-%s-%d" % (rng.choice(["ledger", "accounts", "payments", "reporting", "crm", "audit"]),
                                  {"postgres": "pg", "mysql": "mysql", "aurora-postgresql": "apg"}[eng], j + 1)
            dbi = "db-" + b32id(rng, 26)
            v = rng.choice(vpcs)
            sg = rng.choice(v["sg_objs"])
            enc = not self.nc(R_RDS)
            multi = rng.random() < 0.5
            spec = {"ident": ident, "dbi": dbi, "eng": eng, "ver": ver, "port": port, "pg": pg, "vpc": v,
                    "sg": sg, "enc": enc, "multi": multi, "az": rng.choice(self.azs),
                    "kms": "arn:aws:kms:%s:%s:key/%s" % (self.region, self.acct, det_uuid(rng)),
                    "cls": rng.choice(["db.t3.medium", "db.m5.large", "db.r6g.xlarge"]),
                    "storage": rng.choice([20, 100, 500, 1000])}
            self.emit(self.rds_ci, spec, "AWS::RDS::DBInstance", dbi, {R_RDS: C if enc else NC})
            self.count("ci:AWS::RDS::DBInstance")
        for _ in range(self.n_deleted(count * 3)):
            eng, ver, port, pg = self.ENGINES[0]
            v = rng.choice(vpcs)
            spec = {"ident": "scratch-pg-" + hexid(rng, 4), "dbi": "db-" + b32id(rng, 26), "eng": eng, "ver": ver,
                    "port": port, "pg": pg, "vpc": v, "sg": rng.choice(v["sg_objs"]),
                    "enc": False, "multi": False, "az": self.azs[0], "kms": None, "cls": "db.t3.micro", "storage": 20}
            self.emit_deleted(self.rds_ci, spec, "AWS::RDS::DBInstance", spec["dbi"])

    def rds_ci(self, spec, created, captured, status):
        v = spec["vpc"]
        conf = {
            "dBInstanceIdentifier": spec["ident"], "dBInstanceClass": spec["cls"], "engine": spec["eng"],
            "dBInstanceStatus": "available", "masterUsername": "dbadmin",
            "endpoint": {"address": "%s.c%s.%s.rds.amazonaws.com" % (spec["ident"], spec["dbi"][3:15].lower(), self.region),
                         "port": spec["port"], "hostedZoneId": "Z2R2ITUGPM61AM"},
            "allocatedStorage": spec["storage"], "instanceCreateTime": iso_ms(created),
            "preferredBackupWindow": "03:00-03:30", "backupRetentionPeriod": 7, "dBSecurityGroups": [],
            "vpcSecurityGroups": [{"vpcSecurityGroupId": spec["sg"]["id"], "status": "active"}],
            "dBParameterGroups": [{"dBParameterGroupName": spec["pg"], "parameterApplyStatus": "in-sync"}],
            "availabilityZone": spec["az"],
            "dBSubnetGroup": {"dBSubnetGroupName": "default-" + v["id"], "dBSubnetGroupDescription": "Created from the RDS Management Console",
                              "vpcId": v["id"], "subnetGroupStatus": "Complete",
                              "subnets": [{"subnetIdentifier": s, "subnetAvailabilityZone": {"name": self.azs[i]},
                                           "subnetStatus": "Active"} for i, s in enumerate(v["subnets"])]},
            "preferredMaintenanceWindow": "sun:05:00-sun:05:30", "pendingModifiedValues": {},
            "multiAZ": spec["multi"], "engineVersion": spec["ver"], "autoMinorVersionUpgrade": True,
            "readReplicaDBInstanceIdentifiers": [], "licenseModel": "postgresql-license" if "postgres" in spec["eng"] else "general-public-license",
            "optionGroupMemberships": [], "publiclyAccessible": False, "statusInfos": [],
            "storageType": "gp3", "dbInstancePort": 0, "storageEncrypted": spec["enc"],
        }
        if spec["enc"]:
            conf["kmsKeyId"] = spec["kms"]
        conf.update({"dbiResourceId": spec["dbi"], "cACertificateIdentifier": "rds-ca-rsa2048-g1",
                     "domainMemberships": [], "copyTagsToSnapshot": True, "monitoringInterval": 0,
                     "dBInstanceArn": "arn:aws:rds:%s:%s:db:%s" % (self.region, self.acct, spec["ident"]),
                     "iAMDatabaseAuthenticationEnabled": False, "deletionProtection": spec["enc"]})
        tags = {"workload-type": "production" if self.a["name"].startswith("prod") else "non-production"}
        return ci(self.acct, self.region, "AWS::RDS::DBInstance", spec["dbi"], spec["ident"],
                  "arn:aws:rds:%s:%s:db:%s" % (self.region, self.acct, spec["ident"]),
                  "Multiple Availability Zones" if spec["multi"] else spec["az"], created, captured, status,
                  tags, [rel("AWS::EC2::SecurityGroup", spec["sg"]["id"], "Is associated with SecurityGroup"),
                         rel("AWS::RDS::DBSubnetGroup", "default-" + v["id"], "Is associated with DBSubnetGroup")],
                  conf, {"Tags": [{"key": k, "value": val} for k, val in tags.items()]})

    # -- IAM users (global; written in the first region's snapshot only) ---------------------------
    FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
             "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin"]
    LAST = ["nguyen", "smith", "garcia", "mueller", "rossi", "tanaka", "kowalski", "okafor", "silva", "brown"]
    SERVICES = ["ci-deploy", "backup-agent", "datadog-integration", "terraform", "legacy-sftp", "report-export"]

    def gen_users(self, count):
        rng = self.rng
        names = set()
        for k in range(count):
            human = rng.random() < 0.7
            if human:
                uname = "%s.%s" % (rng.choice(self.FIRST), rng.choice(self.LAST))
            else:
                uname = "svc-%s" % rng.choice(self.SERVICES)
            base, n = uname, 2
            while uname in names:
                uname = "%s%d" % (base, n)
                n += 1
            names.add(uname)
            uid = "AIDA" + b32id(rng, 17)
            console = human and rng.random() < 0.9 or (not human and rng.random() < 0.1)
            if console:
                mfa = not self.nc(R_MFA)
                verdict = C if mfa else NC
            else:
                # No console password: nothing for MFA to protect. AWS's page is silent; vigil's
                # rule judges such users COMPLIANT (see mfa_enabled_for_iam_console_access.cc).
                mfa = False
                verdict = C
            created = self.past_ms(60, 2400)
            group = self.groups[rng.randrange(3)] if human else None
            u = {"name": uname, "id": uid, "console": console, "mfa": mfa, "created": created,
                 "keys": (not human) or rng.random() < 0.3, "group": group}
            self.users.append(u)
            verdicts = {R_MFA: verdict} if self.a["has_facts"] else {}
            self.emit(self.user_ci, u, "AWS::IAM::User", uid, verdicts)
            self.count("ci:AWS::IAM::User")
        for _ in range(self.n_deleted(count * 2)):
            u = {"name": "contractor.%s" % hexid(rng, 4), "id": "AIDA" + b32id(rng, 17), "console": True,
                 "mfa": False, "created": self.past_ms(60, 400), "keys": False, "group": self.groups[1]}
            self.emit_deleted(self.user_ci, u, "AWS::IAM::User", u["id"])

    def user_ci(self, u, created, captured, status):
        u["created"] = created          # the credential report (written later) uses the same time
        arn = "arn:aws:iam::%s:user/%s" % (self.acct, u["name"])
        g = u["group"]
        pols = []
        if g is None:
            pols = [{"policyName": "AmazonS3ReadOnlyAccess", "policyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}]
        conf = {"path": "/", "userName": u["name"], "userId": u["id"], "arn": arn,
                "createDate": iso_ms(u["created"]), "userPolicyList": [],
                "groupList": [g[0]] if g else [], "attachedManagedPolicies": pols,
                "permissionsBoundary": None, "tags": []}
        rels = [rel("AWS::IAM::Group", g[1], "Is attached to Group", g[0])] if g else []
        return ci(self.acct, "global", "AWS::IAM::User", u["id"], u["name"], arn, "Not Applicable",
                  u["created"], captured, status, {}, rels, conf, {})

    # -- writing -----------------------------------------------------------------------------------
    def flush_region(self):
        rng = self.rng
        acct, region = self.acct, self.region
        ext = ".json.gz" if self.cfg["gzip"] else ".json"
        rng.shuffle(self.snapshot)
        snap_id = det_uuid(rng)
        snap_sec = self.snap_ms // 1000
        tm = time.gmtime(snap_sec)
        folder = "AWSLogs/%s/Config/%s/%d/%d/%d/ConfigSnapshot" % (acct, region, tm.tm_year, tm.tm_mon, tm.tm_mday)
        fname = "%s_Config_%s_ConfigSnapshot_%s_%s%s" % (acct, region, compact_ts(snap_sec), snap_id, ext)
        body = ('{"fileVersion":"1.0","configSnapshotId":"%s","configurationItems":[' % snap_id
                + ",".join(map(JSON_COMPACT, self.snapshot)) + "]}")
        self.write(folder + "/" + fname, body)
        self.count("snapshot_items", len(self.snapshot))
        self.count("snapshot_files")
        if self.history:
            ws, we = self.win
            tm = time.gmtime(we)
            hfolder = "AWSLogs/%s/Config/%s/%d/%d/%d/ConfigHistory" % (acct, region, tm.tm_year, tm.tm_mon, tm.tm_mday)
            for rtype in sorted(self.history):
                items = sorted(self.history[rtype], key=lambda d: d["configurationStateId"])
                hname = "%s_Config_%s_ConfigHistory_%s_%s_%s_1%s" % (
                    acct, region, rtype.replace("::", "_"), compact_ts(ws), compact_ts(we), ext)
                body = '{"fileVersion":"1.0","configurationItems":[' + ",".join(map(JSON_COMPACT, items)) + "]}"
                self.write(hfolder + "/" + hname, body)
                self.count("history_files")

    def write_account_facts(self, regions):
        """The account facts of the CIS / PCI DSS account-level rules: CloudTrail, EBS encryption by
        default, GuardDuty, Security Hub, Organizations, virtual MFA devices. They use their own
        random stream (seeded by the account), so adding them left every other file unchanged.
        Their verdicts are not in expected.json, which covers the seed's rules."""
        rng = random.Random("facts-v2-" + self.acct)
        acct, home = self.acct, regions[0]
        bad = self.a["badness"]
        # One organisation trail, multi-region, homed in the first region; bad accounts may have
        # stopped it or never created it.
        trail = None
        if rng.random() < 0.95 - 0.3 * bad:
            name = "org-trail"
            trail = {"Name": name, "S3BucketName": "acme-cloudtrail-logs-%s" % acct,
                     "IncludeGlobalServiceEvents": True, "IsMultiRegionTrail": True,
                     "HomeRegion": home, "TrailARN": "arn:aws:cloudtrail:%s:%s:trail/%s" % (home, acct, name),
                     "LogFileValidationEnabled": rng.random() < 0.9 - 0.5 * bad,
                     "HasCustomEventSelectors": False, "HasInsightSelectors": False,
                     "IsOrganizationTrail": False}
            if rng.random() < 0.8 - 0.5 * bad:
                trail["CloudWatchLogsLogGroupArn"] = "arn:aws:logs:%s:%s:log-group:cloudtrail:*" % (home, acct)
                trail["CloudWatchLogsRoleArn"] = "arn:aws:iam::%s:role/CloudTrailToCloudWatch" % acct
            if rng.random() < 0.7 - 0.5 * bad:
                trail["KmsKeyId"] = "arn:aws:kms:%s:%s:key/%s" % (home, acct, det_uuid(rng))
        logging = trail is not None and rng.random() < 0.95 - 0.4 * bad
        for region in regions:
            base = "facts/%s/%s/" % (acct, region)
            self.write_json_cli(base + "cloudtrail-describe-trails.json",
                                {"trailList": [trail] if trail else []})
            if trail:
                self.write_json_cli(base + "cloudtrail-get-trail-status.json", {trail["TrailARN"]: {
                    "IsLogging": logging, "LatestDeliveryTime": iso_cli(self.as_of_ms - 3600_000),
                    "StartLoggingTime": iso_cli(self.as_of_ms - 400 * 86400_000)}})
                self.write_json_cli(base + "cloudtrail-get-event-selectors.json", {trail["TrailARN"]: {
                    "TrailARN": trail["TrailARN"], "EventSelectors": [{
                        "ReadWriteType": "All", "IncludeManagementEvents": True,
                        "DataResources": [], "ExcludeManagementEventSources": []}]}})
            else:
                self.write_json_cli(base + "cloudtrail-get-trail-status.json", {})
                self.write_json_cli(base + "cloudtrail-get-event-selectors.json", {})
            self.write_json_cli(base + "ec2-get-ebs-encryption-by-default.json", {
                "EbsEncryptionByDefault": rng.random() < 0.75 - 0.5 * bad, "SseType": "sse-ebs"})
            if rng.random() < 0.9 - 0.4 * bad:
                self.write_json_cli(base + "securityhub-describe-hub.json", {
                    "HubArn": "arn:aws:securityhub:%s:%s:hub/default" % (region, acct),
                    "SubscribedAt": iso_cli(self.as_of_ms - 300 * 86400_000),
                    "AutoEnableControls": True, "ControlFindingGenerator": "SECURITY_CONTROL"})
            else:
                self.write_json_cli(base + "securityhub-describe-hub.json", {"Error": {
                    "Code": "InvalidAccessException",
                    "Message": "Account %s is not subscribed to AWS Security Hub" % acct}})
            detector = "%032x" % rng.getrandbits(128)
            enabled = rng.random() < 0.92 - 0.4 * bad
            self.write_json_cli(base + "guardduty-list-detectors.json", {"DetectorIds": [detector]})
            self.write_json_cli(base + "guardduty-get-detector.json", {detector: {
                "CreatedAt": iso_cli(self.as_of_ms - 500 * 86400_000, frac=False),
                "FindingPublishingFrequency": "SIX_HOURS",
                "ServiceRole": "arn:aws:iam::%s:role/aws-service-role/guardduty.amazonaws.com/"
                               "AWSServiceRoleForAmazonGuardDuty" % acct,
                "Status": "ENABLED" if enabled else "DISABLED", "Tags": {}}})
            self.write_json_cli(base + "guardduty-get-administrator-account.json", {detector: {}})
        base = "facts/%s/%s/" % (acct, home)
        self.write_json_cli(base + "organizations-describe-organization.json", {"Organization": {
            "Id": self.cfg["org_id"], "Arn": "arn:aws:organizations::%s:organization/%s" % (
                self.cfg["mgmt"], self.cfg["org_id"]),
            "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::%s:account/%s/%s" % (
                self.cfg["mgmt"], self.cfg["org_id"], self.cfg["mgmt"]),
            "MasterAccountId": self.cfg["mgmt"], "MasterAccountEmail": "aws-root@acme-financial.example"}})
        devices = []
        if rng.random() < 0.4:
            devices.append({"SerialNumber": "arn:aws:iam::%s:mfa/root-account-mfa-device" % acct,
                            "User": {"Arn": "arn:aws:iam::%s:root" % acct, "UserId": acct},
                            "EnableDate": iso_cli(self.as_of_ms - 700 * 86400_000)})
        self.write_json_cli(base + "iam-list-virtual-mfa-devices.json", {"VirtualMFADevices": devices})

    def write_iam_facts(self, region):
        rng = self.rng
        acct = self.acct
        base = "facts/%s/%s/" % (acct, region)
        root_key = self.a["root_key_nc"]
        root_mfa = rng.random() < 0.9 - 0.4 * self.a["badness"]
        self.expect(R_ROOT_KEY, "AWS::::Account", acct, region, NC if root_key else C)
        users = self.users
        mfa_users = sum(1 for u in users if u["mfa"])
        summary = {
            "GroupPolicySizeQuota": 5120, "InstanceProfilesQuota": 1000,
            "Policies": 12 + rng.randrange(40), "GroupsPerUserQuota": 10,
            "InstanceProfiles": 3 + rng.randrange(20), "AttachedPoliciesPerUserQuota": 10,
            "Users": len(users), "PoliciesQuota": 1500, "Providers": 1,
            "AccountMFAEnabled": 1 if root_mfa else 0, "AccessKeysPerUserQuota": 2,
            "AssumeRolePolicySizeQuota": 2048, "PolicyVersionsInUseQuota": 10000,
            "GlobalEndpointTokenVersion": 1, "VersionsPerPolicyQuota": 5,
            "AttachedPoliciesPerGroupQuota": 10, "PolicySizeQuota": 6144, "Groups": len(self.groups),
            "AccountSigningCertificatesPresent": 0, "UsersQuota": 5000, "ServerCertificatesQuota": 20,
            "MFADevices": mfa_users + (1 if root_mfa else 0), "UserPolicySizeQuota": 2048,
            "PolicyVersionsInUse": 30 + rng.randrange(60), "ServerCertificates": 0,
            "Roles": 20 + rng.randrange(80), "RolesQuota": 1000, "SigningCertificatesPerUserQuota": 2,
            "MFADevicesInUse": mfa_users + (1 if root_mfa else 0), "RolePolicySizeQuota": 10240,
            "AttachedPoliciesPerRoleQuota": 10, "AccountAccessKeysPresent": 1 if root_key else 0,
            "GroupsQuota": 300,
        }
        self.write_json_cli(base + "iam-get-account-summary.json", {"SummaryMap": summary})

        # Password policy.
        pw_nc = self.a["pw_nc"]
        pol = {"MinimumPasswordLength": rng.choice([14, 14, 16]), "RequireSymbols": True, "RequireNumbers": True,
               "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True,
               "AllowUsersToChangePassword": True, "ExpirePasswords": True,
               "MaxPasswordAge": rng.choice([90, 90, 60]), "PasswordReusePrevention": 24, "HardExpiry": False}
        if pw_nc:
            kind = rng.choice(["missing", "missing", "short", "no-symbols", "weak-classes", "legacy"])
            if kind == "missing":
                pol = None
            elif kind == "short":
                pol["MinimumPasswordLength"] = rng.choice([8, 10, 12])
            elif kind == "no-symbols":
                pol["RequireSymbols"] = False
            elif kind == "weak-classes":
                pol["RequireUppercaseCharacters"] = False
                pol["RequireNumbers"] = False
            else:   # an old, permissive policy: short, no expiry, no reuse prevention
                pol = {"MinimumPasswordLength": 8, "RequireSymbols": False, "RequireNumbers": True,
                       "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True,
                       "AllowUsersToChangePassword": True, "ExpirePasswords": False, "HardExpiry": False}
        if pol is None:
            body = {"Error": {"Code": "NoSuchEntity",
                              "Message": "The Password Policy with domain name %s cannot be found." % acct}}
        else:
            body = {"PasswordPolicy": pol}
        self.write_json_cli(base + "iam-get-account-password-policy.json", body)
        self.expect(R_PWPOL, "AWS::::Account", acct, region, NC if pw_nc else C)

        # Credential report.
        gen_ms = self.as_of_ms - 20 * 60000 - rng.randrange(600000)
        gen_ms -= gen_ms % 1000

        def t(ms):
            return iso_cli(ms - ms % 1000, frac=False)

        def ago(lo_hours, hi_hours):
            return gen_ms - rng.randrange(lo_hours * 3600000, hi_hours * 3600000)

        rows = ["user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
                "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
                "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
                "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
                "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"]
        root_created = self.a["joined_ms"] - 86400000 * rng.randrange(1, 400)
        if root_key:
            rot = root_created + rng.randrange(86400000, 300 * 86400000)
            k1 = ["true", t(rot), t(ago(24, 90 * 24)), "us-east-1", "s3"]
        else:
            k1 = ["false", "N/A", "N/A", "N/A", "N/A"]
        rows.append(",".join(["<root_account>", "arn:aws:iam::%s:root" % acct, t(root_created), "not_supported",
                              t(ago(48, 200 * 24)), "not_supported", "not_supported",
                              "true" if root_mfa else "false"] + k1 +
                             ["false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]))
        max_age = pol.get("MaxPasswordAge") if pol and pol.get("ExpirePasswords") else None
        for u in users:
            if u["console"]:
                changed = max(u["created"], ago(24, 80 * 24))
                used = rng.random() < 0.85
                pw = ["true", t(ago(1, 400)) if used else "no_information", t(changed),
                      t(changed + max_age * 86400000) if max_age else "N/A"]
            else:
                pw = ["false", "N/A", "N/A", "N/A"]
            if u["keys"]:
                rot = max(u["created"], ago(5 * 24, 700 * 24))
                k1 = ["true", t(rot), t(ago(1, 200)), self.cfg["regions"][0],
                      rng.choice(["s3", "sts", "ec2", "cloudformation"])]
            else:
                k1 = ["false", "N/A", "N/A", "N/A", "N/A"]
            rows.append(",".join([u["name"], "arn:aws:iam::%s:user/%s" % (acct, u["name"]), t(u["created"])] + pw +
                                 ["true" if u["mfa"] else "false"] + k1 +
                                 ["false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]))
        csv = "\n".join(rows)
        self.write_json_cli(base + "iam-get-credential-report.json", {
            "Content": base64.b64encode(csv.encode()).decode(), "ReportFormat": "text/csv",
            "GeneratedTime": t(gen_ms)})


def gen_account(args):
    cfg, acct = args
    return Gen(cfg, acct).run()


# --------------------------------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Generate a synthetic AWS organisation of AWS Config data (snapshots, history, "
                    "CLI facts, accounts, rules, expected verdicts) for vigil.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", required=True, help="output directory (created; existing files are overwritten)")
    p.add_argument("--accounts", type=int, default=30, help="number of member accounts")
    p.add_argument("--regions", default=DEFAULT_REGIONS, help="comma-separated regions; the first one holds IAM (global) items and IAM facts")
    p.add_argument("--resources-per-account-region", type=int, default=40, metavar="N",
                   help="approximate number of configuration items per account and region")
    p.add_argument("--seed", default="vigil", help="random seed; equal seeds and options give identical output")
    p.add_argument("--gzip", action=argparse.BooleanOptionalAction, default=True,
                   help="write .json.gz snapshot/history files as AWS delivers them")
    p.add_argument("--compress-level", type=int, default=None,
                   help="gzip level; default 6, or 1 (several times faster) when more than 200,000 items are planned")
    p.add_argument("--history", action=argparse.BooleanOptionalAction, default=True,
                   help="also write ConfigHistory files: older captures with a different verdict, and deleted resources")
    p.add_argument("--no-expected", dest="expected", action="store_false",
                   help="do not write expected.json (for big benchmark runs)")
    p.add_argument("--as-of", default=DEFAULT_AS_OF, help="snapshot delivery time (UTC, YYYY-MM-DDTHH:MM:SSZ)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    p.add_argument("--clean", action="store_true",
                   help="if --out already holds generated data, remove it first (AWSLogs/, facts/ and the "
                        "generated top-level JSON files; nothing else)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = p.parse_args(argv)

    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if args.accounts < 1 or not regions or args.resources_per_account_region < 1:
        p.error("need at least one account, one region and one resource per account-region")
    t0 = time.time()
    as_of = parse_iso(args.as_of)
    if args.compress_level is None:
        planned = args.accounts * len(regions) * args.resources_per_account_region
        args.compress_level = 6 if planned <= 200000 else 1
    generated = ["AWSLogs", "facts", "accounts.json", "organization.json", "rules.json", "expected.json"]
    present = [g for g in generated if os.path.exists(os.path.join(args.out, g))]
    if present:
        if not args.clean:
            p.error("%s already holds generated data (%s); pass --clean to replace it"
                    % (args.out, ", ".join(present)))
        for g in present:
            path = os.path.join(args.out, g)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    os.makedirs(args.out, exist_ok=True)
    accounts, mgmt, org_id = make_accounts(args.accounts, args.seed, as_of)

    def dump(name, obj, indent=4):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=indent, ensure_ascii=False)
            f.write("\n")

    dump("accounts.json", accounts_json(accounts, mgmt, org_id))
    dump("organization.json", organization_json(mgmt, org_id))
    dump("rules.json", RULES, indent=2)

    # Scale the mix so that an account-region averages --resources-per-account-region items
    # (flow logs come on top of ~70% of VPCs; IAM users only in the first region).
    per_region_share = (sum(v for k, v in MIX.items() if k != "user") + 0.7 * MIX["vpc"]
                        + MIX["user"] / len(regions))
    cfg = {"seed": args.seed, "out": args.out, "regions": regions, "per_region": args.resources_per_account_region,
           "scale": 1.0 / per_region_share,
           "gzip": args.gzip, "level": args.compress_level, "history": args.history, "expected": args.expected,
           "as_of": as_of, "mgmt": mgmt["id"], "org_id": org_id}
    tasks = [(cfg, a) for a in accounts]
    stats, expected, files, raw, disk = {}, [], 3, 0, 0
    if args.jobs > 1 and len(tasks) > 1:
        with Pool(min(args.jobs, len(tasks))) as pool:
            results = pool.imap(gen_account, tasks, chunksize=1)
            results = list(results)
    else:
        results = [gen_account(t) for t in tasks]
    for r in results:
        for k, v in r["stats"].items():
            stats[k] = stats.get(k, 0) + v
        expected.extend(r["expected"])
        files += r["files"]
        raw += r["raw_bytes"]
        disk += r["disk_bytes"]

    if args.expected:
        expected.sort(key=lambda e: (e[3], e[4], e[0], e[1], e[2]))
        lines = [JSON_COMPACT({"ConfigRuleName": e[0], "ResourceType": e[1], "ResourceId": e[2],
                               "AccountId": e[3], "AwsRegion": e[4], "ComplianceType": e[5]}) for e in expected]
        with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
            f.write("[\n" + ",\n".join(lines) + "\n]\n")
        files += 1

    if not args.quiet:
        elapsed = time.time() - t0
        total_cis = stats.get("snapshot_items", 0) + stats.get("history_items", 0)
        print("accounts: %d (%d with facts), regions: %s" % (
            len(accounts), sum(a["has_facts"] for a in accounts), ",".join(regions)))
        print("configuration items: %d in snapshots, %d in history files, %d total" % (
            stats.get("snapshot_items", 0), stats.get("history_items", 0), total_cis))
        for k in sorted(stats):
            if k.startswith(("ci:", "flipped:", "deleted:")):
                print("  %-45s %d" % (k, stats[k]))
        print("files: %d (%d snapshot, %d history); bytes: %d uncompressed, %d on disk" % (
            files, stats.get("snapshot_files", 0), stats.get("history_files", 0), raw, disk))
        if args.expected:
            counts = {}
            for e in expected:
                counts.setdefault(e[0], {}).setdefault(e[5], 0)
                counts[e[0]][e[5]] += 1
            print("expected.json: %d evaluations" % len(expected))
            for rule in sorted(counts):
                c = counts[rule]
                print("  %-42s C=%-6d NC=%-6d NA=%d" % (rule, c.get(C, 0), c.get(NC, 0), c.get(NA, 0)))
        print("done in %.1fs" % elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
