"""Shared by the SNS scenario scripts: boto3 SNS and SQS clients for Switchyard, and one JSON document on stdout.

Each scenario is `def scenario(sns, sqs, args) -> dict`; run it with `run(scenario)`. The helpers of harness.py
(error_of, clean) apply unchanged; `receive_all` drains a queue, `outbox` reads Switchyard's SNS outbox.
"""
import json
import os
import sys
import time
import urllib.request

import boto3
import botocore
from botocore.config import Config

from harness import _default, clean, error_of  # noqa: F401  (re-exported for the scenarios)


def client(service):
    return boto3.client(
        service,
        endpoint_url=os.environ["SWITCHYARD_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


def queue(sqs, name, attributes=None):
    """Creates a queue; returns (url, arn)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive_all(sqs, url, expected=None, wait=1, rounds=6):
    """Receives and deletes until `expected` messages arrived or a round comes back empty; returns the messages."""
    out = []
    for _ in range(rounds):
        r = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait,
            AttributeNames=["All"], MessageAttributeNames=["All"],
        )
        msgs = r.get("Messages", [])
        for m in msgs:
            out.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if expected is not None and len(out) >= expected:
            break
        if not msgs and expected is None:
            break
    # one more look, so that a message that should not have arrived is seen too
    extra = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"])
    for m in extra.get("Messages", []):
        out.append(m)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return out


def outbox():
    with urllib.request.urlopen(os.environ["SWITCHYARD_ENDPOINT"] + "/_switchyard/sns/outbox", timeout=10) as r:
        return json.load(r)["messages"]


def run(scenario):
    args = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    sns = client("sns")
    sqs = client("sqs")
    started = time.time()
    result = scenario(sns, sqs, args)
    result["_versions"] = {
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "boto3_path": boto3.__file__,
        "protocol": sns.meta.service_model.protocol,
        "seconds": round(time.time() - started, 3),
    }
    json.dump(result, sys.stdout, default=_default, ensure_ascii=False)
    sys.stdout.write("\n")
