"""FIFO through boto3: order within a group, deduplication by id and by content, group locking, sequence numbers."""
from harness import clean, error_of, run


def scenario(sqs, args):
    out = {}
    url = sqs.create_queue(QueueName=args["prefix"] + "-order.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sends = []
    for i in range(5):
        sends.append(clean(sqs.send_message(QueueUrl=url, MessageBody=f"a{i}", MessageGroupId="A", MessageDeduplicationId=f"a{i}")))
        sends.append(clean(sqs.send_message(QueueUrl=url, MessageBody=f"b{i}", MessageGroupId="B", MessageDeduplicationId=f"b{i}")))
    out["sends"] = sends
    out["duplicate"] = clean(sqs.send_message(QueueUrl=url, MessageBody="a0 again", MessageGroupId="A", MessageDeduplicationId="a0"))
    received = []
    for _ in range(10):
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])
        msgs = r.get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            received.append({"Body": m["Body"], "Attributes": m["Attributes"]})
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    out["received"] = received

    # group locking: while A's first message is in flight, nothing else from A is delivered
    url2 = sqs.create_queue(
        QueueName=args["prefix"] + "-lock.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for body in ["x1", "x2", "x1"]:
        sqs.send_message(QueueUrl=url2, MessageBody=body, MessageGroupId="X")
    first = sqs.receive_message(QueueUrl=url2, MaxNumberOfMessages=1)["Messages"]
    out["lock_first"] = [m["Body"] for m in first]
    out["lock_while_in_flight"] = [m["Body"] for m in sqs.receive_message(QueueUrl=url2, MaxNumberOfMessages=10).get("Messages", [])]
    sqs.delete_message(QueueUrl=url2, ReceiptHandle=first[0]["ReceiptHandle"])
    out["lock_after_delete"] = [m["Body"] for m in sqs.receive_message(QueueUrl=url2, MaxNumberOfMessages=10).get("Messages", [])]
    out["no_group"] = error_of(sqs.send_message, QueueUrl=url2, MessageBody="nogroup")
    out["no_dedup"] = error_of(sqs.send_message, QueueUrl=url, MessageBody="nodedup", MessageGroupId="A")
    return out


run(scenario)
