#!/usr/bin/env python3
"""Bad requests to `backstep serve` and exactly what the client gets back (docs/bad-input.md,
"The server's requests"): the status and the JSON {"error": ...} message of every kind of bad
request, then a request that works (the server keeps serving). The real server on a fresh SQLite
database, driven over loopback with Python's http.client and raw sockets.

Usage: test_bad_requests.py BACKSTEP TMPDIR
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

BIN, TMP = sys.argv[1], sys.argv[2]
shutil.rmtree(TMP, ignore_errors=True)
os.makedirs(TMP)
DB = os.path.join(TMP, "serve.db")
env = dict(os.environ, TZ="UTC", BACKSTEP_USER="ann")
passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok   " + name)


def bad(name):
    global failed
    failed += 1
    print("FAIL " + name)


def run(*args):
    return subprocess.run([BIN, *args], env=env, capture_output=True, text=True, check=True)


token = run("token", "create", "--user", "ann", "--db", DB).stdout.strip()
other = run("token", "create", "--user", "bob", "--db", DB).stdout.strip()
run("simulate", "--placement", "foot-right", "--direction", "backward", "--duration", "20",
    "--seed", "1", "--out", os.path.join(TMP, "walk.csv"))

srv = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:0",
                        "--max-ingest-kb", "256", "--max-body-kb", "64"],
                       env=env, stdout=subprocess.PIPE, stderr=open(os.path.join(TMP, "serve.err"), "w"),
                       text=True)
try:
    line = srv.stdout.readline()
    m = re.match(r"listening on http://([0-9.]+):([0-9]+)", line)
    if not m:
        print("server did not start: " + line)
        sys.exit(1)
    HOST, PORT = m.group(1), int(m.group(2))

    def req(method, path, body=None, tok=token, headers=None):
        c = http.client.HTTPConnection(HOST, PORT, timeout=120)
        h = dict(headers or {})
        if tok:
            h["Authorization"] = "Bearer " + tok
        if isinstance(body, str):
            body = body.encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def raw(data):
        """Send bytes as they are; the status of the answer (0 when the server just closes)."""
        s = socket.create_connection((HOST, PORT), timeout=120)
        s.sendall(data)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        got = b""
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
        except OSError:
            pass
        s.close()
        m = re.match(rb"HTTP/1\.[01] ([0-9]{3})", got)
        return int(m.group(1)) if m else 0

    def expect(name, method, path, status, message, body=None, tok=token, headers=None):
        st, data = req(method, path, body, tok, headers)
        try:
            err = json.loads(data).get("error", "")
        except (ValueError, AttributeError):
            err = data.decode("utf-8", "replace")
        if st == status and message in err:
            ok("%s: %d %s" % (name, st, err))
        else:
            bad("%s: got %d %r, want %d with %r" % (name, st, err, status, message))

    # access
    expect("no token", "GET", "/api/sessions", 401, "a valid access token is required", tok=None)
    expect("unknown token", "GET", "/api/sessions", 401, "a valid access token is required",
           tok="bst_not_a_token")
    expect("ingest without a token", "POST", "/api/ingest", 401,
           "a valid access token is required", body="{}", tok=None)
    # routing
    expect("unknown endpoint", "GET", "/api/nothing", 404, "no such endpoint")
    expect("a session id that is not a number", "GET", "/api/sessions/abc", 404, "no such session")
    expect("a session that does not exist", "GET", "/api/sessions/99999999", 404,
           "no such session")
    expect("ingest with GET", "GET", "/api/ingest", 405, "use POST")
    expect("unknown live session", "GET", "/api/live/nope", 404, "no such live session")
    # query parameters
    expect("negative limit", "GET", "/api/sessions?limit=-1", 400, "limit: a whole number from 0 to")
    expect("text as a time", "GET", "/api/sessions?from_us=yesterday", 400,
           "from_us: microseconds since 1970 (an integer)")
    expect("another walker's data", "GET", "/api/sessions?user=bob", 404,
           "user: no such walker, or not one you may see")
    # JSON bodies (check-ins, plans)
    expect("empty JSON body", "POST", "/api/checkins", 400, "a JSON object body is required",
           body="")
    expect("malformed JSON", "POST", "/api/checkins", 400, "malformed JSON near byte",
           body='{"pain_0_10": ')
    expect("JSON that is not an object", "POST", "/api/checkins", 400, "malformed JSON near byte",
           body="[1, 2]")
    expect("pain out of range", "POST", "/api/checkins", 400,
           "pain_0_10, wellbeing_0_10: whole numbers from 0 to 10", body='{"pain_0_10": 11}')
    expect("no answer at all", "POST", "/api/checkins", 400,
           "pain_0_10 or wellbeing_0_10 is required", body='{"note": "x"}')
    expect("bad date", "POST", "/api/checkins", 400, 'date: "YYYY-MM-DD"',
           body='{"pain_0_10": 2, "date": "2026-02-30"}')
    expect("note too long", "POST", "/api/checkins", 400, "note: text of at most",
           body=json.dumps({"pain_0_10": 2, "note": "x" * 300}))
    expect("someone else's session", "POST", "/api/checkins", 400,
           "session: the id of one of your sessions", body='{"pain_0_10": 2, "session": 424242}')
    expect("unknown plan kind", "POST", "/api/plans", 400, "kind: a plan kind such as",
           body='{"kind": "marathon"}')
    expect("plan level other than the start", "POST", "/api/plans", 400,
           "level: a plan starts at level 1", body='{"kind": "general", "level": 1000}')
    expect("plan screening answer not yes/no", "POST", "/api/plans", 400,
           'screening: fell: "yes" or "no"', body='{"kind": "general", "screening": {"fell": 1}}')
    expect("body over the limit", "POST", "/api/checkins", 413,
           "request body larger than 65536 bytes", body="x" * (70 * 1024))
    # recordings uploaded
    expect("upload with a bad placement", "POST", "/api/sessions?placement=head", 400,
           "placement: auto, foot-left, foot-right, lower-back or pocket", body="x")
    expect("upload with a bad toe axis", "POST", "/api/sessions?toe-axis=up", 400,
           "toe-axis: one of +x -x +y -y +z -z auto", body="x")
    expect("upload with an accelerometer range below 2 g", "POST", "/api/sessions?accel-range=1",
           400, "accel-range: 1 is outside 2..400 (the accelerometer's full scale in g, or none)",
           body="x")
    expect("upload with an accelerometer range that is not a number", "POST",
           "/api/sessions?accel-range=16g", 400, "accel-range: '16g' is not a number", body="x")
    expect("upload of an empty body", "POST", "/api/sessions?name=x.csv", 400,
           "the body must be a recording file", body="")
    expect("upload of something that is not a recording", "POST", "/api/sessions?name=x.csv",
           422, "not a recognised recording", body="hello\x00\x01\x02 world\n" * 50)
    with open(os.path.join(TMP, "walk.csv")) as f:
        lines = f.read().splitlines(True)
    broken = "".join(lines[:50]) + "1.0,0.1x,0,9.8,0,0,0\n" + "".join(lines[50:80])
    expect("upload with text in a number", "POST", "/api/sessions?name=broken.csv", 422,
           "upload:51:2: field 'acc_x (m/s^2)': not a number: '0.1x'", body=broken)
    # live ingest (Sensor Logger push); every parse error is covered in test_server_live
    expect("ingest: malformed JSON", "POST", "/api/ingest", 400, "byte 12: malformed JSON",
           body='{"sessionId":')
    expect("ingest: no sessionId", "POST", "/api/ingest", 400, "sessionId: missing",
           body='{"payload": []}')
    expect("ingest: a sample without values", "POST", "/api/ingest", 400,
           "payload[0].values: missing or not an object",
           body='{"sessionId": "a", "payload": [{"name": "accelerometer", "time": 1}]}')
    expect("ingest: bad placement", "POST", "/api/ingest?placement=head", 400, "placement",
           body='{"sessionId": "a", "payload": []}')
    expect("ingest over the limit", "POST", "/api/ingest", 413,
           "request body larger than 262144 bytes", body="x" * (300 * 1024))
    # cookie sign-in: a wrong token, and a cross-site write with a valid cookie
    st, _ = req("POST", "/login", body="token=bst_nope", tok=None,
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    ok("sign-in with a wrong token: 401") if st == 401 else bad("sign-in with a wrong token: %d" % st)
    expect("cross-site write with the cookie", "POST", "/api/checkins", 403,
           "cross-site request refused", body='{"pain_0_10": 2}', tok=None,
           headers={"Cookie": "bstep_token=" + token, "Origin": "http://evil.example",
                    "Content-Type": "application/json"})
    # malformed HTTP
    st = raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
    ok("100 kB of headers: 431") if st == 431 else bad("100 kB of headers: %d" % st)
    st = raw(b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
    ok("a Content-Length that lies: 413") if st == 413 else bad("lying Content-Length: %d" % st)
    st = raw(b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    ok("broken chunked encoding: 400") if st == 400 else bad("broken chunks: %d" % st)
    st = raw(b"GARBAGE\r\n\r\n")
    ok("not HTTP at all: %d (answered 400 or closed)" % st) if st in (0, 400) else bad(
        "garbage: %d" % st)
    # and the server still works
    st, data = req("GET", "/healthz", tok=None)
    ok("still serving after all of it") if st == 200 and b"ok" in data else bad("healthz %d" % st)
    st, data = req("POST", "/api/sessions?placement=foot-right&toe-axis=%2Bx&name=walk.csv",
                   body=open(os.path.join(TMP, "walk.csv"), "rb").read())
    ok("a good upload is stored") if st == 201 else bad("good upload: %d %s" % (st, data[:200]))
    # the database deleted under the running server: a write is refused with the store's reason
    # (never "stored" into the deleted file); reads of what the server holds and /healthz go on
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(DB + suffix):
            os.remove(DB + suffix)
    expect("a check-in after the database was deleted", "POST", "/api/checkins", 500,
           "the database file was moved or deleted while in use", body='{"pain_0_10": 2}')
    st, data = req("GET", "/healthz", tok=None)
    ok("still serving without its database") if st == 200 else bad("healthz after delete %d" % st)
    ok("no new database made behind the user's back") if not os.path.exists(DB) else bad(
        "a new database file appeared")
finally:
    srv.terminate()
    try:
        rc = srv.wait(timeout=120)
    except subprocess.TimeoutExpired:
        srv.kill()
        rc = -9
    ok("SIGTERM: exit 0") if rc == 0 else bad("server exit status %d" % rc)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
