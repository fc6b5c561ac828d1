#!/usr/bin/env python3
"""Drives the fake Paymo API the way a non-JavaScript user does: only through the paymo-fake CLI
(a seed file, flags) and its HTTP test-control API, with the `requests` library.

Run:  python3 paymo_fake_flow.py            (starts `npx paymo-fake`)
      PAYMO_FAKE_CMD='["node","dist/cli.js"]' python3 paymo_fake_flow.py
Exits 0 when every check passed; prints one line per check.
"""
import hashlib
import hmac
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

import requests

ADMIN_EMAIL = "michael@dundermifflin.com"
ADMIN_PASSWORD = "worlds-best-boss"
SECRET = "python-webhook-secret"

SEED = {
    "projects": [
        {"id": 501, "name": "Python Paper Route", "client_id": 1001, "users": [1, 2], "managers": [1], "active": True},
    ],
    "tasklists": [{"id": 601, "name": "Deliveries", "project_id": 501}],
    "tasks": [{"id": 701, "name": "Deliver to Blue Cross", "project_id": 501, "tasklist_id": 601, "users": [2]}],
    "entries": [],
}


def check(condition, message):
    if not condition:
        print("FAIL " + message, flush=True)
        sys.exit(1)
    print("ok   " + message, flush=True)


class Receiver(http.server.BaseHTTPRequestHandler):
    deliveries = []
    arrived = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Receiver.deliveries.append((dict(self.headers), body))
        Receiver.arrived.set()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    command = json.loads(os.environ.get("PAYMO_FAKE_CMD", '["npx", "paymo-fake"]'))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as seed_file:
        json.dump(SEED, seed_file)
    # 1000 per window: looser than Paymo's 5 per 5 s, as this flow is about resources, not the quota.
    fake = subprocess.Popen(
        command + ["--port", "0", "--quiet", "--seed", seed_file.name, "--rate-limit", "1000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        api = None
        for line in fake.stdout:
            match = re.search(r"listening on (http://\S+/api)$", line.strip())
            if match:
                api = match.group(1)
                break
        check(api is not None, "the CLI printed where it listens")
        origin = api[: -len("/api")]
        control = origin + "/__control"

        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        target = "http://127.0.0.1:%d/paymo" % receiver.server_address[1]

        check(requests.post(control + "/reset").status_code == 200, "control API: reset")

        signed_in = requests.post(api + "/sessions", auth=(ADMIN_EMAIL, ADMIN_PASSWORD), headers={"Accept": "application/json"})
        check(signed_in.status_code == 201, "POST /api/sessions with email and password: 201")
        token = signed_in.json()["sessions"][0]["id"]
        session = {"X-Session": token, "Accept": "application/json"}

        projects = requests.get(api + "/projects", headers=session, params={"include": "tasklists.tasks"})
        check(projects.status_code == 200, "GET /api/projects: 200")
        names = [p["name"] for p in projects.json()["projects"]]
        check(names == ["Python Paper Route"], "the seed file's projects are served: %r" % names)
        tasks = projects.json()["projects"][0]["tasklists"][0]["tasks"]
        check([t["id"] for t in tasks] == [701], "include=tasklists.tasks nests the seeded task")

        hook = requests.post(api + "/hooks", headers=session, json={"target_url": target, "event": "model.insert.Entry", "secret": SECRET})
        check(hook.status_code == 201 and "secret" not in hook.json()["hooks"][0], "POST /api/hooks: 201, secret not returned")

        entry = requests.post(
            api + "/entries",
            headers=session,
            json={"task_id": 701, "start_time": "2015-01-05T09:00:00Z", "end_time": "2015-01-05T10:30:00Z", "description": "from Python"},
        )
        check(entry.status_code == 201, "POST /api/entries: 201")
        entry_id = entry.json()["entries"][0]["id"]
        check(entry.headers.get("Location", "").endswith("/api/entries/%d" % entry_id), "Location names the new entry")
        check(entry.json()["entries"][0]["project_id"] == 501, "the entry's project_id comes from its task")

        check(Receiver.arrived.wait(10), "the webhook arrived")
        headers, body = Receiver.deliveries[0]
        expected = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
        check(hmac.compare_digest(headers.get("X-Paymo-Signature", ""), expected), "X-Paymo-Signature is the HMAC-SHA1 of the raw body")
        check(headers.get("X-Paymo-Event") == "model.insert.Entry", "X-Paymo-Event: model.insert.Entry")
        check(json.loads(body)["id"] == entry_id, "the webhook body is the new entry")
        doc_vector = "sha1=" + hmac.new(b"secret", b'{"id":"1679584"}', hashlib.sha1).hexdigest()
        check(doc_vector == "sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1", "the docs' test vector")

        deleted = requests.delete(api + "/entries/%d" % entry_id, headers=session)
        check(deleted.status_code == 200, "DELETE /api/entries/:id: 200 (body %r)" % deleted.text)
        check(requests.get(api + "/entries/%d" % entry_id, headers=session).status_code == 404, "the entry is gone")

        expires_on = signed_in.json()["sessions"][0]["expires_on"]
        advanced = requests.post(control + "/clock/advance", json={"seconds": 32 * 24 * 3600})
        check(advanced.status_code == 200, "control API: clock advanced 32 days (session expired %s)" % expires_on)
        check(requests.get(api + "/me", headers=session).status_code == 401, "the expired session gets 401")

        log = requests.get(control + "/requests").json()["requests"]
        check(any(r["path"] == "/api/entries" and r["status"] == 201 for r in log), "control API: the request log shows the POST")
        check(token not in json.dumps(log), "the request log holds no token")
        receiver.shutdown()
    finally:
        fake.terminate()
        fake.wait(10)
    print("python flow: all checks passed", flush=True)


if __name__ == "__main__":
    main()
