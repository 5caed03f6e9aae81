#!/usr/bin/env python3
"""Sends a realistic set of calls through an official Python SDK, unchanged,
to a collector.

    COLLECTOR=http://127.0.0.1:PORT python3 python_sdks.py --sdk customerio [--gzip]
    python3 python_sdks.py --collector http://127.0.0.1:PORT --sdk segment --gzip

SDKs (pip install -r requirements.txt, or --target DIR and PYTHONPATH=DIR):
  customerio  PyPI customerio-cdp-analytics   (import customerio.analytics)
  segment     PyPI segment-analytics-python   (import segment.analytics)

Both POST {host}/v1/batch; `host` keeps its path, so a prefix goes there:
--prefix /api sends to {collector}/api/v1/batch. Both take gzip=True
(Content-Encoding: gzip). env WRITE_KEY (default test-write-key). Note the
Customer.io SDK sends keys that look like pk_us_... / sk_eu_... as
"Authorization: Bearer KEY"; other keys as Basic (key as the user name).

Prints one JSON line summary; exits 0 when every call was delivered.
"""
import argparse
import json
import os
import sys
from datetime import datetime, timezone


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--collector", default=os.environ.get("COLLECTOR"))
    ap.add_argument("--sdk", default=os.environ.get("SDK", "customerio"), choices=["customerio", "segment"])
    ap.add_argument("--prefix", default=os.environ.get("PREFIX", ""))
    ap.add_argument("--gzip", action="store_true", default=os.environ.get("GZIP") in ("1", "true"))
    ap.add_argument("--write-key", default=os.environ.get("WRITE_KEY", "test-write-key"))
    a = ap.parse_args()
    if not a.collector:
        ap.error("--collector or COLLECTOR is required, e.g. http://127.0.0.1:8787")

    if a.sdk == "customerio":
        from customerio.analytics import Client
        package = "customerio-cdp-analytics"
    else:
        from segment.analytics import Client
        package = "segment-analytics-python"

    host = a.collector.rstrip("/") + ("/" + a.prefix.strip("/") if a.prefix.strip("/") else "")
    errors = []

    def on_error(exc, batch):
        errors.append({"error": str(exc), "messages": len(batch)})

    client = Client(
        write_key=a.write_key,
        host=host,
        gzip=a.gzip,
        on_error=on_error,
        max_retries=2,
        upload_interval=0.2,
        upload_size=100,
    )

    sent = {}
    message_ids = []

    def call(kind, **kw):
        ok, msg = getattr(client, kind)(**kw)
        sent[kind] = sent.get(kind, 0) + 1
        message_ids.append(msg.get("messageId"))
        if not ok:
            errors.append({"error": "queue full", "type": kind})

    user_id = "97980cfea0067"
    anon = "anon-5f1c2d"
    call("identify", user_id=user_id, anonymous_id=anon,
         traits={"email": "peter@example.com", "name": "Peter Gibbons", "plan": "premium", "logins": 5},
         context={"ip": "203.0.113.7"})
    call("track", user_id=user_id, event="Course Enrolled",
         properties={"class_name": "Basics", "class_code": "cio101", "level": "beginner", "start_date": 1679410730},
         timestamp=datetime.now(timezone.utc))
    call("page", user_id=user_id, category="Docs", name="Pricing",
         properties={"url": "https://example.com/pricing", "path": "/pricing", "title": "Pricing"})
    call("screen", user_id=user_id, name="Home", properties={"variation": "blue"})
    call("group", user_id=user_id, group_id="acme-0042",
         traits={"name": "Acme Inc", "industry": "Technology", "employees": 120})
    call("alias", previous_id=anon, user_id=user_id)
    # The one deliberately broken call: the SDK lets it through, the validator
    # flags reserved-type (CDP107): `revenue` must be a number, not "12.99".
    call("track", user_id=user_id, event="Order Completed",
         properties={"revenue": "12.99", "currency": "USD", "order_id": "ord-1"})

    client.flush()  # blocks until the queue is empty (each batch answered)
    client.join()

    summary = {
        "sdk": package,
        "url": host + "/v1/batch",
        "gzip": a.gzip,
        "sent": sent,
        "total": sum(sent.values()),
        "messageIds": message_ids,
        "failed": len(errors),
        "failures": errors,
        "broken": {"type": "track", "event": "Order Completed", "field": "properties.revenue",
                   "value": "12.99", "rule": "reserved-type (CDP107)"},
    }
    print(json.dumps(summary))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
