"""Kinesis with boto3 (awsJson 1.1 over HTTP/1.1): a stream's life, records in and out, resharding, errors."""
import os

import boto3
from botocore.config import Config

from harness import clean, error_of, run


def scenario(_sqs, args):
    k = boto3.client(
        "kinesis",
        endpoint_url=os.environ["SWITCHYARD_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    name = args["stream"]
    k.create_stream(StreamName=name, ShardCount=1)
    k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    put = k.put_record(StreamName=name, Data=b"\x00binary\xff", PartitionKey="pk")
    batch = k.put_records(StreamName=name, Records=[{"Data": b"two", "PartitionKey": "pk"}, {"Data": b"three", "PartitionKey": "pk"}])
    shard = k.list_shards(StreamName=name)["Shards"][0]["ShardId"]
    it = k.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = k.get_records(ShardIterator=it)
    k.split_shard(StreamName=name, ShardToSplit=shard, NewStartingHashKey=str(2**127))
    summary = k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    missing = error_of(k.describe_stream, StreamName="missing")
    k.delete_stream(StreamName=name)
    return {
        "put": clean(put),
        "batch": clean(batch),
        "data": [r["Data"] for r in records["Records"]],
        "keys": [r["PartitionKey"] for r in records["Records"]],
        "behind": records["MillisBehindLatest"],
        "open_shards": summary["OpenShardCount"],
        "missing": missing,
        "streams_after": k.list_streams()["StreamNames"],
    }


if __name__ == "__main__":
    run(scenario)
