"""FIFO topic -> FIFO queue: order within each group, sequence numbers, deduplication by id and by content."""
import json

from sns_harness import clean, error_of, queue, receive_all, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-order.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "false"})["TopicArn"]
    out["topic_arn"] = topic
    out["topic_attributes"] = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    url, arn = queue(sqs, p + "-order.fifo", {"FifoQueue": "true"})
    raw_url, raw_arn = queue(sqs, p + "-order-raw.fifo", {"FifoQueue": "true"})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"})
    sends = []
    for i in range(5):
        for g in ("A", "B"):
            r = sns.publish(TopicArn=topic, Message=f"{g.lower()}{i}", MessageGroupId=g, MessageDeduplicationId=f"{g}{i}")
            sends.append(clean(r))
    out["sends"] = sends
    out["duplicate"] = clean(sns.publish(TopicArn=topic, Message="a0 again", MessageGroupId="A", MessageDeduplicationId="A0"))
    out["no_group"] = error_of(sns.publish, TopicArn=topic, Message="x", MessageDeduplicationId="x")
    out["no_dedup"] = error_of(sns.publish, TopicArn=topic, Message="x", MessageGroupId="A")
    out["email_to_fifo_topic"] = error_of(sns.subscribe, TopicArn=topic, Protocol="email", Endpoint="a@example.com")

    raw = receive_all(sqs, raw_url, expected=10, rounds=12)
    out["raw_received"] = [{"Body": m["Body"], "Attributes": m["Attributes"]} for m in raw]
    env = receive_all(sqs, url, expected=10, rounds=12)
    out["envelopes"] = [json.loads(m["Body"]) for m in env]
    out["envelope_attributes"] = [m["Attributes"] for m in env]

    # content-based deduplication set later
    sns.set_topic_attributes(TopicArn=topic, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    first = clean(sns.publish(TopicArn=topic, Message="same body", MessageGroupId="C"))
    second = clean(sns.publish(TopicArn=topic, Message="same body", MessageGroupId="C"))
    out["content_dedup"] = [first, second]
    out["content_received"] = [m["Body"] for m in receive_all(sqs, raw_url, expected=1)]
    return out


run(scenario)
