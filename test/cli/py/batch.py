"""Batches through boto3: all-success sends, per-entry failures for bad receipt handles, whole-request errors."""
from harness import clean, error_of, run


def scenario(sqs, args):
    out = {}
    url = sqs.create_queue(QueueName=args["prefix"] + "-batch")["QueueUrl"]
    out["send"] = clean(sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "one", "MessageBody": "first <1>"},
        {"Id": "two", "MessageBody": "second", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "three", "MessageBody": "third", "DelaySeconds": 0},
    ]))
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", [])
    out["received"] = [{"Body": m["Body"], "MD5OfBody": m["MD5OfBody"], "MessageAttributes": m.get("MessageAttributes")} for m in received]
    handles = [m["ReceiptHandle"] for m in received]
    out["visibility"] = clean(sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        *[{"Id": f"ok{i}", "ReceiptHandle": h, "VisibilityTimeout": 60} for i, h in enumerate(handles)],
        {"Id": "bad", "ReceiptHandle": "not-a-receipt-handle", "VisibilityTimeout": 60},
    ]))
    out["delete"] = clean(sqs.delete_message_batch(QueueUrl=url, Entries=[
        *[{"Id": f"ok{i}", "ReceiptHandle": h} for i, h in enumerate(handles)],
        {"Id": "bad", "ReceiptHandle": "not-a-receipt-handle"},
    ]))
    out["count_after"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    out["empty"] = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[])
    out["too_many"] = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": f"e{i}", "MessageBody": "x"} for i in range(11)])
    out["not_distinct"] = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "same", "MessageBody": "x"}, {"Id": "same", "MessageBody": "y"}])
    out["bad_id"] = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "no spaces!", "MessageBody": "x"}])
    return out


run(scenario)
