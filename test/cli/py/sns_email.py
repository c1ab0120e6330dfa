"""Email and email-json subscriptions: the confirmation and the notifications land in Switchyard's outbox."""
import re

from sns_harness import clean, outbox, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    out = {}
    topic = sns.create_topic(Name=p + "-mail", Attributes={"DisplayName": "Mailer"})["TopicArn"]
    out["topic_arn"] = topic
    out["subscribe"] = clean(sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="dev@example.com"))
    out["subscribe_json"] = clean(sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="ops@example.com", ReturnSubscriptionArn=True))
    out["listed_pending"] = clean(sns.list_subscriptions_by_topic(TopicArn=topic))["Subscriptions"]
    out["topic_counts_pending"] = {k: v for k, v in sns.get_topic_attributes(TopicArn=topic)["Attributes"].items() if k.startswith("Subscriptions")}
    out["publish_while_pending"] = clean(sns.publish(TopicArn=topic, Message="nobody hears this"))
    confirmations = [e for e in outbox() if e.get("topicArn") == topic]
    out["confirmations"] = confirmations
    mail = next(e for e in confirmations if e["endpoint"] == "dev@example.com")
    token = re.search(r"Token=([0-9a-f]+)", mail["message"]).group(1)
    out["confirm"] = clean(sns.confirm_subscription(TopicArn=topic, Token=token))
    out["confirm_bad_token"] = None
    try:
        sns.confirm_subscription(TopicArn=topic, Token="ffff")
    except sns.exceptions.InvalidParameterException as e:
        out["confirm_bad_token"] = e.response["Error"]
    out["sub_attributes"] = sns.get_subscription_attributes(SubscriptionArn=out["confirm"]["SubscriptionArn"])["Attributes"]
    out["publish"] = clean(sns.publish(TopicArn=topic, Message="Hello by mail", Subject="Status report"))
    out["publish_no_subject"] = clean(sns.publish(TopicArn=topic, Message="No subject here"))
    out["outbox"] = [e for e in outbox() if e.get("topicArn") == topic]
    return out


run(scenario)
