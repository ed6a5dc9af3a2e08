"""File a complaint on a worker's behalf and follow it (standard library only)."""

import json
import os
import urllib.error
import urllib.request

BASE = os.environ.get("IMVO_URL", "http://127.0.0.1:8108")
TOKEN = os.environ["IMVO_TOKEN"]  # from `imvo token create USER`


def call(method, path, body=None, headers=None):
    # The base address is the platform's, set by the operator: http(s) only.
    req = urllib.request.Request(  # noqa: S310
        BASE + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


status, filed = call(
    "POST",
    "/api/complaints",
    {
        "covenant": "garment-textile",
        "language": "bn",
        "anonymous": True,
        "complainant_type": "affected",
        "description": "কারখানার মালিক তিন মাস ধরে আমাদের বেতন দেয়নি।",
        "location": "Gazipur, Bangladesh",
        "topics": ["wages"],
    },
    {"Authorization": f"Bearer {TOKEN}", "Accept-Language": "bn"},
)
print(status, filed)
# Give the receipt to the worker (SMS, read aloud); do not keep it in the gateway.
status, case = call(
    "GET", "/api/complaints/mine", headers={"X-Receipt": filed["receipt"], "Accept-Language": "en"}
)
print(status, case["state"], case["state_label"], "|", case["next_step"], "| due", case["due"])
