"""publish_batch: per-entry results with partial failures, FIFO batches, and whole-request errors."""
from sns_harness import clean, error_of, queue, receive_all, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-batch")["TopicArn"]
    url, arn = queue(sqs, p + "-batch")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    out["mixed"] = clean(sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "ok1", "Message": "first", "Subject": "s1"},
        {"Id": "empty", "Message": ""},
        {"Id": "ok2", "Message": "second", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "badnum", "Message": "x", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "not-a-number"}}},
        {"Id": "dedup_on_std", "Message": "x", "MessageDeduplicationId": "d"},
    ]))
    got = receive_all(sqs, url, expected=2)
    out["received"] = sorted([m["Body"], m.get("MessageAttributes")] for m in got)

    fifo = sns.create_topic(Name=p + "-batch.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    fifo_url, fifo_arn = queue(sqs, p + "-batch.fifo", {"FifoQueue": "true"})
    sns.subscribe(TopicArn=fifo, Protocol="sqs", Endpoint=fifo_arn, Attributes={"RawMessageDelivery": "true"})
    out["fifo"] = clean(sns.publish_batch(TopicArn=fifo, PublishBatchRequestEntries=[
        {"Id": "g1", "Message": "one", "MessageGroupId": "g"},
        {"Id": "nogroup", "Message": "two"},
        {"Id": "g2", "Message": "three", "MessageGroupId": "g"},
    ]))
    out["fifo_received"] = [m["Body"] for m in receive_all(sqs, fifo_url, expected=2)]

    entry = {"Id": "a", "Message": "m"}
    out["empty"] = error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[])
    out["too_many"] = error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": "m"} for i in range(11)])
    out["not_distinct"] = error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[entry, entry])
    out["bad_id"] = error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[{"Id": "bad id!", "Message": "m"}])
    out["missing_topic"] = error_of(sns.publish_batch, TopicArn=topic + "-nope", PublishBatchRequestEntries=[entry])
    return out


run(scenario)
