"""Shared by the scenario scripts: a boto3 SQS client for Switchyard, and one JSON document on stdout.

Each scenario is `def scenario(sqs, args) -> dict`; run it with `run(scenario)`. Bytes print as base64, and a
botocore ClientError becomes {"code", "message", "status", "type", "exception"} through `error_of`.
"""
import base64
import datetime
import json
import os
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError


def client():
    return boto3.client(
        "sqs",
        endpoint_url=os.environ["SWITCHYARD_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


def error_of(call, *args, **kwargs):
    """Calls and returns the ClientError as a dict; fails the scenario if the call succeeds."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        err = e.response.get("Error", {})
        return {
            "code": err.get("Code"),
            "message": err.get("Message"),
            "type": err.get("Type"),
            "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            "exception": type(e).__name__,
        }
    raise AssertionError(f"{getattr(call, '__name__', call)} succeeded but should have failed")


def clean(response):
    """Drops ResponseMetadata, which only carries request ids and headers."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _default(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def run(scenario):
    args = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    sqs = client()
    result = scenario(sqs, args)
    result["_versions"] = {
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "boto3_path": boto3.__file__,
        "protocol": sqs.meta.service_model.protocol,
    }
    json.dump(result, sys.stdout, default=_default, ensure_ascii=False)
    sys.stdout.write("\n")
