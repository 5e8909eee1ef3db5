#!/usr/bin/env python3
"""Generates the Guard benchmark inputs (deterministic: seeded).

    bench/guard/gen.py [OUT]          # OUT defaults to build/bench-guard

writes
    OUT/snapshot.json      one AWS Config snapshot-like document, {"fileVersion": ..., "configurationItems": [...]},
                           holding N S3 bucket configuration items (N = 10,000: about 9 MB)
    OUT/items/NNNNN.json   the same N items, one configuration item per file

Each item has the shape AWS Config delivers in snapshot files (awsAccountId, ARN, configuration
as an object, supplementaryConfiguration with the bucket's public access block, encryption,
versioning, logging and policy). About 60 % of the buckets comply with both rules of
rules.guard; the rest miss a public access block setting, encryption, or both.
"""

import argparse
import json
import os
import random

N = 10000
SEED = 20240601


def bucket_item(i, rnd):
    account = f"{rnd.randrange(10**11, 10**12):012d}"
    region = rnd.choice(["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"])
    name = f"acme-{rnd.choice(['logs', 'data', 'backup', 'web', 'artifacts', 'tmp'])}-{i:05d}"
    created = f"20{rnd.randrange(18, 24)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}.000Z"
    owner = f"{rnd.getrandbits(256):064x}"
    supp = {
        "BucketLoggingConfiguration": {"destinationBucketName": f"acme-logs-{account}" if rnd.random() < 0.7 else None, "logFilePrefix": None},
        "BucketVersioningConfiguration": {"status": rnd.choice(["Enabled", "Enabled", "Suspended", "Off"]), "isMfaDeleteEnabled": None},
        "IsRequesterPaysEnabled": False,
    }
    r = rnd.random()
    if r < 0.75:
        pab = {k: True for k in ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"]}
        if r > 0.65:
            pab[rnd.choice(list(pab))] = False
        supp["PublicAccessBlockConfiguration"] = pab
    if rnd.random() < 0.82:
        algo = rnd.choice(["AES256", "aws:kms", "aws:kms"])
        supp["ServerSideEncryptionConfiguration"] = {"rules": [{"applyServerSideEncryptionByDefault": {
            "sseAlgorithm": algo, "kmsMasterKeyID": None},
            "bucketKeyEnabled": algo == "aws:kms"}]}
    if rnd.random() < 0.15:
        supp["BucketPolicy"] = {"policyText": json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}, separators=(",", ":"))}
    tags = {}
    if rnd.random() < 0.6:
        tags = {"Environment": rnd.choice(["prod", "dev", "test"]), "Owner": f"team-{rnd.randrange(20)}"}
    return {
        "relatedEvents": [],
        "relationships": [],
        "configuration": {"name": name, "owner": {"displayName": None, "id": owner}, "creationDate": created},
        "supplementaryConfiguration": supp,
        "tags": tags,
        "configurationItemVersion": "1.3",
        "configurationItemCaptureTime": "2024-06-01T00:00:00.000Z",
        "configurationStateId": 1717200000000 + i,
        "awsAccountId": account,
        "configurationItemStatus": "OK",
        "resourceType": "AWS::S3::Bucket",
        "resourceId": name,
        "resourceName": name,
        "ARN": f"arn:aws:s3:::{name}",
        "awsRegion": region,
        "availabilityZone": "Regional",
        "configurationStateMd5Hash": "",
        "resourceCreationTime": created,
    }


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=os.path.join(repo, "build", "bench-guard"))
    ap.add_argument("-n", type=int, default=N, help=f"number of items (default {N})")
    args = ap.parse_args()
    rnd = random.Random(SEED)
    items = [bucket_item(i, rnd) for i in range(args.n)]
    os.makedirs(os.path.join(args.out, "items"), exist_ok=True)
    with open(os.path.join(args.out, "snapshot.json"), "w") as f:
        json.dump({"fileVersion": "1.0", "configSnapshotId": "5f1b2c3d-0000-4000-8000-000000000000",
                   "configurationItems": items}, f, separators=(",", ":"))
        f.write("\n")
    for i, item in enumerate(items):
        with open(os.path.join(args.out, "items", f"{i:05d}.json"), "w") as f:
            json.dump(item, f, separators=(",", ":"))
            f.write("\n")
    size = os.path.getsize(os.path.join(args.out, "snapshot.json"))
    print(f"{args.out}/snapshot.json: {args.n} items, {size / 1e6:.1f} MB; {args.out}/items/: {args.n} files")


if __name__ == "__main__":
    main()
