"""EventBridge with boto3 1.26: a bus, a rule and an SQS target, PutEvents, TestEventPattern, an archive and a
replay of it, a bus permission, a connection and an API destination, and AWS's errors. Prints one JSON document."""
import datetime
import json
import os
import sys
import time

import boto3
import botocore
from botocore.config import Config

from harness import _default, clean, error_of


def client(service):
    return boto3.client(
        service,
        endpoint_url=os.environ["SWITCHYARD_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


def receive(sqs, url, expected):
    out = []
    for _ in range(10):
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        out.extend(r.get("Messages", []))
        if len(out) >= expected:
            break
    return out


def main():
    events = client("events")
    sqs = client("sqs")
    out = {}
    bus = events.create_event_bus(Name="py-bus")
    out["bus"] = clean(bus)
    url = sqs.create_queue(QueueName="py-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = json.dumps({"source": ["py.app"], "detail": {"n": [{"numeric": [">", 1]}]}})
    out["rule"] = clean(events.put_rule(Name="py-rule", EventBusName="py-bus", EventPattern=pattern))
    out["targets"] = clean(events.put_targets(Rule="py-rule", EventBusName="py-bus", Targets=[{"Id": "q", "Arn": arn}]))
    out["archive"] = clean(events.create_archive(ArchiveName="py-archive", EventSourceArn=bus["EventBusArn"], RetentionDays=1))
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=60)
    out["put"] = clean(events.put_events(Entries=[
        {"Source": "py.app", "DetailType": "T", "Detail": json.dumps({"n": n}), "EventBusName": "py-bus"} for n in (1, 2)
    ]))
    out["received"] = [json.loads(m["Body"]) for m in receive(sqs, url, 1)]
    out["test_pattern"] = events.test_event_pattern(EventPattern=pattern, Event=json.dumps(out["received"][0]))["Result"]
    time.sleep(1.1)
    out["described_archive"] = clean(events.describe_archive(ArchiveName="py-archive"))
    end = datetime.datetime.now(datetime.timezone.utc)
    out["replay"] = clean(events.start_replay(
        ReplayName="py-replay", EventSourceArn=out["archive"]["ArchiveArn"], EventStartTime=start, EventEndTime=end,
        Destination={"Arn": bus["EventBusArn"]},
    ))
    for _ in range(50):
        replay = events.describe_replay(ReplayName="py-replay")
        if replay["State"] in ("COMPLETED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.05)
    out["described_replay"] = clean(replay)
    out["replayed"] = [json.loads(m["Body"]) for m in receive(sqs, url, 1)]
    events.put_permission(EventBusName="py-bus", Action="events:PutEvents", Principal="111122223333", StatementId="partner")
    out["policy"] = json.loads(events.describe_event_bus(Name="py-bus")["Policy"])
    connection = events.create_connection(
        Name="py-conn", AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-key", "ApiKeyValue": "secret"}},
    )
    out["connection"] = clean(events.describe_connection(Name="py-conn"))
    events.create_api_destination(
        Name="py-dest", ConnectionArn=connection["ConnectionArn"], InvocationEndpoint="https://example.com/hook/*",
        HttpMethod="POST", InvocationRateLimitPerSecond=5,
    )
    out["destination"] = clean(events.describe_api_destination(Name="py-dest"))
    out["errors"] = {
        "missing_rule": error_of(events.describe_rule, Name="nope", EventBusName="py-bus"),
        "bad_pattern": error_of(events.put_rule, Name="bad", EventPattern='{"source": "x"}'),
        "archive_exists": error_of(events.create_archive, ArchiveName="py-archive", EventSourceArn=bus["EventBusArn"]),
        "cancel_done": error_of(events.cancel_replay, ReplayName="py-replay"),
    }
    out["_versions"] = {"boto3": boto3.__version__, "botocore": botocore.__version__, "boto3_path": boto3.__file__, "protocol": events.meta.service_model.protocol}
    json.dump(out, sys.stdout, default=_default, ensure_ascii=False)
    sys.stdout.write("\n")


main()
