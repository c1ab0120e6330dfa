"""Dead-letter queue through boto3: after maxReceiveCount receives the message moves to the DLQ."""
import json

from harness import clean, run


def scenario(sqs, args):
    out = {}
    dlq = sqs.create_queue(QueueName=args["prefix"] + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    out["dlq_arn"] = dlq_arn
    src = sqs.create_queue(
        QueueName=args["prefix"] + "-src",
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})},
    )["QueueUrl"]
    out["src_url"] = src
    out["redrive_policy"] = sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["RedrivePolicy"])["Attributes"]
    out["send"] = clean(sqs.send_message(QueueUrl=src, MessageBody="poison"))
    receives = []
    for _ in range(3):
        r = sqs.receive_message(QueueUrl=src, VisibilityTimeout=0, AttributeNames=["ApproximateReceiveCount"])
        receives.append([(m["Body"], m["Attributes"].get("ApproximateReceiveCount")) for m in r.get("Messages", [])])
    out["receives"] = receives
    r = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], WaitTimeSeconds=2)
    out["dlq_messages"] = [{"Body": m["Body"], "MessageId": m["MessageId"]} for m in r.get("Messages", [])]
    out["sources"] = clean(sqs.list_dead_letter_source_queues(QueueUrl=dlq))
    return out


run(scenario)
