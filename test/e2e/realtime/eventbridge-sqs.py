"""Runs EventBridge rules in a moto server: one SQS queue per rule, the events put, the deliveries read back.

stdin: {"endpoint": str, "rules": [{"name": str, "pattern": str}], "events": [{"source", "detail-type", "detail"}]}
stdout: {"<rule name>": [indexes of the events delivered to the rule's queue]}
Each event carries its index in its envelope's `resources` (no compiled pattern reads `resources`).
"""
import json
import sys

import boto3

request = json.load(sys.stdin)
kw = dict(endpoint_url=request["endpoint"], region_name="us-east-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
events = boto3.client("events", **kw)
sqs = boto3.client("sqs", **kw)

queues = {}
for rule in request["rules"]:
    url = sqs.create_queue(QueueName=rule["name"])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=rule["name"], EventPattern=rule["pattern"], State="ENABLED")
    events.put_targets(Rule=rule["name"], Targets=[{"Id": "queue", "Arn": arn}])
    queues[rule["name"]] = url

entries = [{"Source": e["source"], "DetailType": e["detail-type"], "Detail": json.dumps(e["detail"]),
            "Resources": [f"urn:event:{i}"], "EventBusName": "default"} for i, e in enumerate(request["events"])]
for start in range(0, len(entries), 10):
    answer = events.put_events(Entries=entries[start:start + 10])
    if answer.get("FailedEntryCount"):
        raise SystemExit(f"put_events failed: {answer}")

delivered = {}
for name, url in queues.items():
    got = set()
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            break
        for m in messages:
            got.add(int(json.loads(m["Body"])["resources"][0].split(":")[-1]))
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    delivered[name] = sorted(got)
json.dump(delivered, sys.stdout)
