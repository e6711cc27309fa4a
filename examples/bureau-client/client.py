#!/usr/bin/env python3
"""Jian'an credit exchange: an example client for the Market Supervision Bureau's integrators.

Python 3.8+ standard library only. Three commands:

  follow   take a service token, read the credit change feed from the saved cursor to the end,
           print each change as one JSON line, and save the cursor after each page
  receive  run a webhook receiver that verifies each delivery's signature and timestamp and
           ignores a delivery it has already seen (same webhook-id)
  verify   check one saved delivery (headers and body) against a secret

Settings come from flags or the environment:

  JIANAN_URL            GraphQL endpoint          (default http://127.0.0.1:8080/graphql)
  JIANAN_CLIENT_ID      service account client id (default bureau-system, the demo's)
  JIANAN_CLIENT_SECRET  its secret                (default jianan-demo, the demo's)
  JIANAN_WEBHOOK_SECRET the subscription's whsec_... secret (receive, verify)

See README.md beside this file.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKEN_QUERY = """mutation($c: String!, $s: String!) {
  issueServiceToken(input: {clientId: $c, clientSecret: $s}) { accessToken expiresAt } }"""

FEED_QUERY = """query($after: String, $first: Int) {
  creditChanges(after: $after, first: $first) {
    edges { cursor node { seq changeId kind subjectKind uscc person summary occurredAt } }
    pageInfo { endCursor hasNextPage } } }"""

# How far a webhook's timestamp may be from our clock (Standard Webhooks recommends 5 minutes).
TOLERANCE_SECONDS = 5 * 60


class ApiError(Exception):
    """A GraphQL error: its extensions.code and (Chinese) message."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


def post(url, query, variables, token=None):
    """One GraphQL request; returns `data`, raises ApiError for an error."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    req = urllib.request.Request(url, data=body, method="POST")
    req.add_header("content-type", "application/json")
    req.add_header("accept", "application/graphql-response+json, application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            answer = json.load(resp)
    except urllib.error.HTTPError as e:
        answer = json.load(e)
    if answer.get("errors"):
        err = answer["errors"][0]
        raise ApiError(err.get("extensions", {}).get("code", "UNKNOWN"), err.get("message"))
    return answer["data"]


class Session:
    """A service token, taken again when it expires."""

    def __init__(self, url, client_id, client_secret):
        self.url, self.client_id, self.client_secret = url, client_id, client_secret
        self.token = None

    def query(self, query, variables):
        for _ in range(2):
            if self.token is None:
                data = post(self.url, TOKEN_QUERY, {"c": self.client_id, "s": self.client_secret})
                self.token = data["issueServiceToken"]["accessToken"]
            try:
                return post(self.url, query, variables, self.token)
            except ApiError as e:
                if e.code != "UNAUTHENTICATED":
                    raise
                self.token = None  # expired: take a new one and try once more
        raise ApiError("UNAUTHENTICATED", "service token refused twice")


def load_cursor(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip() or None
    except FileNotFoundError:
        return None


def save_cursor(path, cursor):
    """Atomically: a crash leaves either the old cursor or the new one, never half of one."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cursor-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(cursor)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def follow(args):
    """Reads the feed from the saved cursor to its end. A change is handled before the cursor
    that passes it is saved, so after a crash the client starts again at the last saved page and
    may see a few changes twice (deduplicate by seq), but never misses one."""
    session = Session(args.url, args.client_id, args.client_secret)
    cursor = load_cursor(args.cursor_file)
    count = 0
    while True:
        data = session.query(FEED_QUERY, {"after": cursor, "first": args.page_size})
        feed = data["creditChanges"]
        for edge in feed["edges"]:
            handle_change(edge["node"])
            count += 1
        end = feed["pageInfo"]["endCursor"]
        if end:
            cursor = end
            save_cursor(args.cursor_file, cursor)
        if not feed["pageInfo"]["hasNextPage"]:
            break
    print(f"# {count} changes; cursor saved in {args.cursor_file}", file=sys.stderr)


def handle_change(change):
    """Where an integrator updates its own records. Here: one JSON line per change."""
    print(json.dumps(change, ensure_ascii=False), flush=True)


def verify(secret, msg_id, timestamp, signature_header, body, now=None):
    """Checks a delivery as the Standard Webhooks specification has it. Returns None when it is
    ours, else the reason it is not."""
    raw = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        return "bad secret"
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return "bad timestamp"
    now = int(time.time()) if now is None else now
    if abs(now - ts) > TOLERANCE_SECONDS:
        return "timestamp too far from now (a replayed message?)"
    signed = f"{msg_id}.{ts}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in (signature_header or "").split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return None
    return "signature does not match"


def receive(args):
    """A webhook receiver: 204 for a verified delivery (handled once per webhook-id), 401 for
    one that is not ours. A real receiver keeps the seen ids in its database."""
    secret = args.secret or os.environ.get("JIANAN_WEBHOOK_SECRET")
    if not secret:
        sys.exit("receive needs --secret or JIANAN_WEBHOOK_SECRET (the whsec_... secret)")
    seen = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            msg_id = self.headers.get("webhook-id", "")
            why = verify(secret, msg_id, self.headers.get("webhook-timestamp"),
                         self.headers.get("webhook-signature"), body)
            if why:
                print(json.dumps({"rejected": msg_id, "why": why}), flush=True)
                self.send_response(401)
                self.end_headers()
                return
            if msg_id not in seen:
                seen.add(msg_id)
                delivery = json.loads(body)
                print(json.dumps({"verified": msg_id, "type": delivery["type"],
                                  "data": delivery["data"]}, ensure_ascii=False), flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_):
            pass

    server = HTTPServer((args.host, args.port), Handler)
    print(f"# listening on http://{args.host}:{server.server_address[1]}/", file=sys.stderr,
          flush=True)
    server.serve_forever()


def verify_command(args):
    secret = args.secret or os.environ.get("JIANAN_WEBHOOK_SECRET", "")
    with open(args.body_file, "rb") as f:
        body = f.read()
    why = verify(secret, args.id, args.timestamp, args.signature, body, now=args.now)
    print("valid" if why is None else f"invalid: {why}")
    sys.exit(0 if why is None else 1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--url", default=os.environ.get("JIANAN_URL", "http://127.0.0.1:8080/graphql"))
    p.add_argument("--client-id", default=os.environ.get("JIANAN_CLIENT_ID", "bureau-system"))
    p.add_argument("--client-secret", default=os.environ.get("JIANAN_CLIENT_SECRET", "jianan-demo"))
    sub = p.add_subparsers(dest="command", required=True)

    f = sub.add_parser("follow", help="read the change feed from the saved cursor")
    f.add_argument("--cursor-file", default="bureau-cursor.txt")
    f.add_argument("--page-size", type=int, default=100)
    f.set_defaults(run=follow)

    r = sub.add_parser("receive", help="run a webhook receiver that verifies signatures")
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, default=8787)
    r.add_argument("--secret")
    r.set_defaults(run=receive)

    v = sub.add_parser("verify", help="check one saved delivery")
    v.add_argument("--secret")
    v.add_argument("--id", required=True)
    v.add_argument("--timestamp", required=True)
    v.add_argument("--signature", required=True)
    v.add_argument("--body-file", required=True)
    v.add_argument("--now", type=int, help="the clock to check the timestamp against")
    v.set_defaults(run=verify_command)

    args = p.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
