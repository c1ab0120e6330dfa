"""Error codes as botocore reports them for awsQuery: the legacy code, the HTTP status, the modeled exception."""
from harness import error_of, run


def scenario(sqs, args):
    out = {}
    prefix = args["prefix"]
    missing_url = args["endpoint"] + "/000000000000/" + prefix + "-none"
    out["get_url_missing"] = error_of(sqs.get_queue_url, QueueName=prefix + "-none")
    out["send_missing"] = error_of(sqs.send_message, QueueUrl=missing_url, MessageBody="x")
    out["attributes_missing"] = error_of(sqs.get_queue_attributes, QueueUrl=missing_url, AttributeNames=["All"])
    url = sqs.create_queue(QueueName=prefix + "-err", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    out["exists"] = error_of(sqs.create_queue, QueueName=prefix + "-err", Attributes={"VisibilityTimeout": "31"})
    out["bad_attribute_name"] = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"NoSuchAttribute": "1"})
    out["bad_attribute_value"] = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"VisibilityTimeout": "99999"})
    out["bad_max_messages"] = error_of(sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=11)
    out["bad_receipt"] = error_of(sqs.delete_message, QueueUrl=url, ReceiptHandle="garbage")
    out["fifo_name_without_attribute"] = error_of(sqs.create_queue, QueueName=prefix + "-x.fifo")
    out["bad_name"] = error_of(sqs.create_queue, QueueName="bad name!")
    out["invalid_body"] = error_of(sqs.send_message, QueueUrl=url, MessageBody="bad \u0000 char")
    return out


run(scenario)
