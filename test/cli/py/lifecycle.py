"""Full message lifecycle through boto3: create (attributes, tags), send with every attribute type, receive with all
attributes, change visibility, delete, purge, untag, delete the queue."""
import base64

from harness import clean, error_of, run

BODY = 'h\u00e9llo \u2713 \U0001F680 <&>"\' line\nnext\r\n\ttab ]]> &amp;'
ATTRS = {
    "s": {"DataType": "String", "StringValue": "v <&> \u00e9"},
    "n": {"DataType": "Number", "StringValue": "-12.5e3"},
    "b": {"DataType": "Binary", "BinaryValue": bytes([0, 1, 2, 254, 255])},
    "c": {"DataType": "String.custom", "StringValue": "typed"},
}


def scenario(sqs, args):
    name = args["prefix"] + "-life"
    out = {}
    out["create"] = clean(sqs.create_queue(
        QueueName=name,
        Attributes={"VisibilityTimeout": "45", "MessageRetentionPeriod": "3600", "MaximumMessageSize": "2048"},
        tags={"env": "test", "team": "core"},
    ))
    url = out["create"]["QueueUrl"]
    out["url"] = clean(sqs.get_queue_url(QueueName=name))
    out["attributes"] = clean(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]))
    out["tags"] = clean(sqs.list_queue_tags(QueueUrl=url))
    out["send"] = clean(sqs.send_message(
        QueueUrl=url, MessageBody=BODY, MessageAttributes=ATTRS,
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}},
    ))
    out["receive"] = clean(sqs.receive_message(
        QueueUrl=url, AttributeNames=["All"], MessageAttributeNames=["All"], MaxNumberOfMessages=10,
    ))
    message = out["receive"]["Messages"][0]
    out["sent_body"] = BODY
    out["sent_attributes"] = {k: {**v, "BinaryValue": base64.b64encode(v["BinaryValue"]).decode()} if "BinaryValue" in v else v for k, v in ATTRS.items()}
    # in flight: invisible to a second receive
    out["receive_in_flight"] = clean(sqs.receive_message(QueueUrl=url))
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    again = clean(sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"]))
    out["receive_again"] = again
    sqs.delete_message(QueueUrl=url, ReceiptHandle=again["Messages"][0]["ReceiptHandle"])
    out["receive_after_delete"] = clean(sqs.receive_message(QueueUrl=url))
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"purge-{i}")
    out["count_before_purge"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    sqs.purge_queue(QueueUrl=url)
    out["receive_after_purge"] = clean(sqs.receive_message(QueueUrl=url))
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "10", "DelaySeconds": "2"})
    out["attributes_after_set"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "DelaySeconds"])["Attributes"]
    sqs.tag_queue(QueueUrl=url, Tags={"added": "yes"})
    sqs.untag_queue(QueueUrl=url, TagKeys=["env"])
    out["tags_after"] = clean(sqs.list_queue_tags(QueueUrl=url))
    # a body near the 256 KiB that every SQS queue accepts, of multi-byte characters, through the form encoding
    big = ("\u00e9\u4e2d<&>\U0001F680 " * 20000)[:130000]
    big_url = sqs.create_queue(QueueName=name + "-big")["QueueUrl"]
    out["big_send"] = clean(sqs.send_message(QueueUrl=big_url, MessageBody=big))
    got = sqs.receive_message(QueueUrl=big_url, WaitTimeSeconds=1).get("Messages", [])
    out["big_equal"] = len(got) == 1 and got[0]["Body"] == big
    out["big_md5"] = got[0]["MD5OfBody"] if got else None
    out["big_bytes"] = len(big.encode("utf-8"))
    sqs.delete_queue(QueueUrl=url)
    out["after_delete"] = error_of(sqs.get_queue_url, QueueName=name)
    return out


run(scenario)
