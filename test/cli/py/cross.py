"""One step of a cross-protocol test: create, send or receive, as args["step"] says."""
import base64

from harness import clean, run


def scenario(sqs, args):
    step = args["step"]
    if step == "create":
        return clean(sqs.create_queue(QueueName=args["name"], Attributes=args.get("attributes", {})))
    if step == "list":
        return clean(sqs.list_queues(QueueNamePrefix=args["prefix"]))
    if step == "send":
        attrs = {}
        for k, v in args.get("attributes", {}).items():
            attrs[k] = {**v, "BinaryValue": base64.b64decode(v["BinaryValue"])} if "BinaryValue" in v else v
        return clean(sqs.send_message(QueueUrl=args["url"], MessageBody=args["body"], MessageAttributes=attrs))
    if step == "receive":
        return clean(sqs.receive_message(
            QueueUrl=args["url"], AttributeNames=["All"], MessageAttributeNames=["All"], MaxNumberOfMessages=10, WaitTimeSeconds=1,
        ))
    raise ValueError(step)


run(scenario)
