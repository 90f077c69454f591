#!/usr/bin/env python3
"""Drives Pulse's REST surface the way a non-TypeScript client does: standard library only.

Usage: e2e_rest.py BASE_URL   (e.g. http://127.0.0.1:3000). Exits non-zero on the first failure.
"""
import json
import sys
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/") + "/api/v1"


def call(method, path, body=None, token=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


email = "py-%s@example.test" % uuid.uuid4().hex[:8]
password = "python-client-password"

status, session = call("POST", "/auth/register", {"email": email, "password": password, "name": "Py Client"})
expect(status == 200 and session["tokenType"] == "Bearer", "register answers a Bearer session")
expect(session["role"] == "owner" and session["user"]["email"] == email, "register makes the caller owner")

status, login = call("POST", "/auth/login", {"email": email, "password": password})
expect(status == 200 and login["workspace"]["id"] == session["workspace"]["id"], "login finds the same workspace")

status, me = call("GET", "/users/me", token=login["accessToken"])
expect(status == 200 and me["email"] == email and me["role"] == "owner", "users/me answers the caller")

status, renamed = call("PUT", "/users/me", {"name": "Py Renamed"}, token=login["accessToken"])
expect(status == 200 and renamed["name"] == "Py Renamed", "PUT users/me renames")

status, refreshed = call("POST", "/auth/refresh", {"refreshToken": login["refreshToken"]})
expect(status == 200 and refreshed["refreshToken"] != login["refreshToken"], "refresh rotates the token")

status, reused = call("POST", "/auth/refresh", {"refreshToken": login["refreshToken"]})
expect(status == 401 and reused["data"]["domainCode"] == "TOKEN_REUSED", "reusing a rotated refresh token is refused")

status, _ = call("POST", "/auth/logout", {"refreshToken": session["refreshToken"]})
expect(status == 200, "logout succeeds")

status, bad = call("POST", "/auth/login", {"email": "not-an-email", "password": 5})
fields = sorted(issue["path"] for issue in bad["data"]["issues"])
expect(status == 400 and fields == ["email", "password"], "bad input names the failing fields")

status, malformed = call("POST", "/auth/login", raw=b'{"email": ')
expect(status == 400 and "message" in malformed, "malformed JSON gets a 400 JSON error")

status, denied = call("GET", "/users/me")
expect(status == 401 and denied["code"] == "UNAUTHORIZED", "no token gets 401")

status, deleted = call("DELETE", "/users/me", {"password": password}, token=refreshed["accessToken"])
expect(status == 200 and deleted == {"success": True}, "DELETE users/me with a JSON body deletes the account")
print("all REST checks passed")
