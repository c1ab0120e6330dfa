"""Links and lifecycle: the envelope's UnsubscribeURL and the email-json SubscribeURL work when visited, a
MessageStructure=json publish gives each protocol its own text, delete_topic takes the subscriptions with it,
and list_topics pages by 100."""
import json
import urllib.request

from sns_harness import clean, error_of, outbox, queue, receive_all, run


def visit(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return {"status": r.status, "content_type": r.headers.get("Content-Type"), "body": r.read().decode("utf-8")}


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-life")["TopicArn"]
    url, arn = queue(sqs, p + "-life")
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
    sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="json@example.com")
    confirmation = next(e for e in outbox() if e.get("topicArn") == topic and e["type"] == "SubscriptionConfirmation")
    out["subscribe_url_visit"] = visit(json.loads(confirmation["message"])["SubscribeURL"])
    out["counts_after_confirm"] = {k: v for k, v in sns.get_topic_attributes(TopicArn=topic)["Attributes"].items() if k.startswith("Subscriptions")}

    out["structured"] = clean(sns.publish(
        TopicArn=topic, MessageStructure="json",
        Message=json.dumps({"default": "for everyone", "sqs": "for queues", "email-json": "for json mail"}),
    ))
    envelope = json.loads(receive_all(sqs, url, expected=1)[0]["Body"])
    out["structured_envelope_message"] = envelope["Message"]
    mails = [e for e in outbox() if e.get("topicArn") == topic and e["type"] == "Notification"]
    out["json_mail"] = json.loads(mails[0]["message"]) if mails else None

    out["unsubscribe_url_visit"] = visit(envelope["UnsubscribeURL"])
    out["after_unsubscribe"] = error_of(sns.get_subscription_attributes, SubscriptionArn=sub)
    sns.publish(TopicArn=topic, Message="after unsubscribe")
    out["received_after_unsubscribe"] = [m["Body"] for m in receive_all(sqs, url)]

    sns.delete_topic(TopicArn=topic)
    out["delete_again"] = clean(sns.delete_topic(TopicArn=topic))
    out["subscriptions_after_delete"] = [s for s in sns.list_subscriptions()["Subscriptions"] if s["TopicArn"] == topic]
    out["topics_after_delete"] = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"] == topic]

    # list_topics pages by 100 with NextToken; boto3's paginator follows it
    for i in range(105):
        sns.create_topic(Name=f"{p}-page-{i:03d}")
    pages = list(sns.get_paginator("list_topics").paginate())
    out["topic_pages"] = [len(pg["Topics"]) for pg in pages]
    out["topic_page_tokens"] = [bool(pg.get("NextToken")) for pg in pages]
    out["paged_topics"] = sorted(t["TopicArn"] for pg in pages for t in pg["Topics"] if ":" + p + "-page-" in t["TopicArn"])
    return out


run(scenario)
