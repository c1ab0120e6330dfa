"""Filter policies: on message attributes (the default scope) and on the JSON body (FilterPolicyScope=MessageBody),
changed by set_subscription_attributes, and refused when invalid."""
import json

from sns_harness import error_of, queue, receive_all, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-filter")["TopicArn"]
    attr_url, attr_arn = queue(sqs, p + "-filter-attr")
    body_url, body_arn = queue(sqs, p + "-filter-body")
    attr_sub = sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=attr_arn, ReturnSubscriptionArn=True,
        Attributes={
            "RawMessageDelivery": "true",
            "FilterPolicy": json.dumps({"color": ["red", {"prefix": "bl"}], "size": [{"numeric": [">", 10, "<=", 20]}]}),
        },
    )["SubscriptionArn"]
    body_sub = sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=body_arn, ReturnSubscriptionArn=True,
        Attributes={
            "RawMessageDelivery": "true",
            "FilterPolicyScope": "MessageBody",
            "FilterPolicy": json.dumps({"detail": {"kind": ["order"], "total": [{"numeric": [">=", 100]}]}}),
        },
    )["SubscriptionArn"]
    out["attr_sub_attributes"] = sns.get_subscription_attributes(SubscriptionArn=attr_sub)["Attributes"]
    out["body_sub_attributes"] = sns.get_subscription_attributes(SubscriptionArn=body_sub)["Attributes"]

    def s(v):
        return {"DataType": "String", "StringValue": v}

    def n(v):
        return {"DataType": "Number", "StringValue": str(v)}

    for name, attrs in [
        ("red-15", {"color": s("red"), "size": n(15)}),
        ("blue-20", {"color": s("blue"), "size": n(20)}),
        ("red-21", {"color": s("red"), "size": n(21)}),
        ("green-15", {"color": s("green"), "size": n(15)}),
        ("red-nosize", {"color": s("red")}),
        ("none", {}),
    ]:
        sns.publish(TopicArn=topic, Message=json.dumps({"name": name}), MessageAttributes=attrs)
    for body in [
        {"detail": {"kind": "order", "total": 150}, "id": "big-order"},
        {"detail": {"kind": "order", "total": 99}, "id": "small-order"},
        {"detail": {"kind": "refund", "total": 500}, "id": "refund"},
    ]:
        sns.publish(TopicArn=topic, Message=json.dumps(body))
    sns.publish(TopicArn=topic, Message="not json at all")
    out["attr_received"] = sorted(m["Body"] for m in receive_all(sqs, attr_url, expected=2))
    out["body_received"] = sorted(m["Body"] for m in receive_all(sqs, body_url, expected=1))

    # a new policy takes effect for the next publish; an empty one removes the filter
    sns.set_subscription_attributes(SubscriptionArn=attr_sub, AttributeName="FilterPolicy", AttributeValue=json.dumps({"color": [{"anything-but": ["red"]}]}))
    sns.publish(TopicArn=topic, Message="red again", MessageAttributes={"color": s("red")})
    sns.publish(TopicArn=topic, Message="green again", MessageAttributes={"color": s("green")})
    out["after_set"] = sorted(m["Body"] for m in receive_all(sqs, attr_url, expected=1))
    sns.set_subscription_attributes(SubscriptionArn=attr_sub, AttributeName="FilterPolicy", AttributeValue="")
    out["attributes_after_clear"] = sns.get_subscription_attributes(SubscriptionArn=attr_sub)["Attributes"]
    sns.publish(TopicArn=topic, Message="anything")
    out["after_clear"] = sorted(m["Body"] for m in receive_all(sqs, attr_url, expected=1))

    out["invalid_json"] = error_of(sns.set_subscription_attributes, SubscriptionArn=body_sub, AttributeName="FilterPolicy", AttributeValue="{not json")
    out["invalid_operator"] = error_of(
        sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=attr_arn.replace("attr", "other"),
        Attributes={"FilterPolicy": json.dumps({"color": [{"bogus": 1}]})},
    )
    out["invalid_scope"] = error_of(sns.set_subscription_attributes, SubscriptionArn=body_sub, AttributeName="FilterPolicyScope", AttributeValue="Everything")
    out["body_sub_after_errors"] = sns.get_subscription_attributes(SubscriptionArn=body_sub)["Attributes"]
    return out


run(scenario)
