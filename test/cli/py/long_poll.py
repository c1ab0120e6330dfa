"""Long polling through boto3: an empty wait lasts WaitTimeSeconds; a wait returns as soon as a message arrives."""
import threading
import time

from harness import client, run


def scenario(sqs, args):
    out = {}
    url = sqs.create_queue(QueueName=args["prefix"] + "-poll")["QueueUrl"]
    t0 = time.monotonic()
    empty = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    out["empty_seconds"] = time.monotonic() - t0
    out["empty_messages"] = empty.get("Messages", [])

    sender = client()
    timer = threading.Timer(1.5, lambda: sender.send_message(QueueUrl=url, MessageBody="woken"))
    t0 = time.monotonic()
    timer.start()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
    out["wake_seconds"] = time.monotonic() - t0
    timer.join()
    out["wake_bodies"] = [m["Body"] for m in got.get("Messages", [])]

    # the queue's ReceiveMessageWaitTimeSeconds applies when the call gives none
    url2 = sqs.create_queue(QueueName=args["prefix"] + "-poll-attr", Attributes={"ReceiveMessageWaitTimeSeconds": "1"})["QueueUrl"]
    t0 = time.monotonic()
    sqs.receive_message(QueueUrl=url2)
    out["queue_default_seconds"] = time.monotonic() - t0
    return out


run(scenario)
