"""ClientError codes, HTTP statuses and modeled exception classes of SNS through boto3."""
import json

from sns_harness import error_of, queue, run


def scenario(sns, sqs, args):
    p = args["prefix"]
    missing = f"arn:aws:sns:us-east-1:000000000000:{p}-missing"
    topic = sns.create_topic(Name=p + "-errs")["TopicArn"]
    _, fifo_queue_arn = queue(sqs, p + "-errs.fifo", {"FifoQueue": "true"})
    _, queue_arn = queue(sqs, p + "-errs")
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    out = {
        "publish_missing": error_of(sns.publish, TopicArn=missing, Message="x"),
        "attributes_missing": error_of(sns.get_topic_attributes, TopicArn=missing),
        "subscribe_missing": error_of(sns.subscribe, TopicArn=missing, Protocol="sqs", Endpoint=queue_arn),
        "subscription_missing": error_of(sns.get_subscription_attributes, SubscriptionArn=topic + ":00000000-0000-0000-0000-000000000000"),
        "tags_missing": error_of(sns.list_tags_for_resource, ResourceArn=missing),
        "bad_name": error_of(sns.create_topic, Name="bad name!"),
        "fifo_name_without_attribute": error_of(sns.create_topic, Name="x", Attributes={"FifoTopic": "true"}),
        "empty_message": error_of(sns.publish, TopicArn=topic, Message=""),
        "bad_protocol": error_of(sns.subscribe, TopicArn=topic, Protocol="carrier-pigeon", Endpoint="x"),
        "fifo_queue_standard_topic": error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=fifo_queue_arn),
        "bad_filter_policy": error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=queue_arn + "-x", Attributes={"FilterPolicy": "[1, 2]"}),
        "bad_raw": error_of(sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="maybe"),
        "bad_attribute_name": error_of(sns.set_topic_attributes, TopicArn=topic, AttributeName="Bogus", AttributeValue="1"),
        "bad_number": error_of(sns.publish, TopicArn=topic, Message="x", MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}}),
        "too_long": error_of(sns.publish, TopicArn=topic, Message="x" * 262_145),
        "bad_structure": error_of(sns.publish, TopicArn=topic, Message=json.dumps({"sqs": "no default"}), MessageStructure="json"),
        "dedup_on_standard": error_of(sns.publish, TopicArn=topic, Message="x", MessageDeduplicationId="d"),
    }
    return out


run(scenario)
