"""Topic -> two SQS queues in the SNS envelope, and a third with raw delivery (message attributes become SQS ones)."""
import json

from sns_harness import clean, queue, receive_all, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-fan", Attributes={"DisplayName": "Fan out"})["TopicArn"]
    out["topic_arn"] = topic
    urls, subs = {}, {}
    for name, raw in [("a", False), ("b", False), ("raw", True)]:
        url, arn = queue(sqs, f"{p}-fan-{name}")
        urls[name] = url
        attrs = {"RawMessageDelivery": "true"} if raw else {}
        subs[name] = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attrs, ReturnSubscriptionArn=True)["SubscriptionArn"]
    out["subscriptions"] = subs
    out["by_topic"] = clean(sns.list_subscriptions_by_topic(TopicArn=topic))
    out["topic_attributes"] = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    out["message"] = 'h\u00e9llo \u2713 \U0001F680 <&>"\' line\nnext\ttab ]]>'
    out["publish"] = clean(sns.publish(
        TopicArn=topic,
        Message=out["message"],
        Subject="Greetings <1>",
        MessageAttributes={
            "color": {"DataType": "String", "StringValue": "red \u00e9"},
            "count": {"DataType": "Number", "StringValue": "42"},
            "blob": {"DataType": "Binary", "BinaryValue": bytes([0, 1, 2, 254, 255])},
            "list": {"DataType": "String.Array", "StringValue": '["x", 1, true]'},
        },
    ))
    out["plain"] = clean(sns.publish(TopicArn=topic, Message="no subject, no attributes"))
    received = {}
    for name, url in urls.items():
        msgs = receive_all(sqs, url, expected=2)
        received[name] = [
            {"Body": m["Body"], "MessageAttributes": m.get("MessageAttributes"), "Attributes": m.get("Attributes")}
            for m in msgs
        ]
    out["received"] = received
    # the envelope's own parse, so the assertions see what a Python consumer would
    out["parsed"] = {name: [json.loads(m["Body"]) for m in received[name]] for name in ("a", "b")}
    return out


run(scenario)
