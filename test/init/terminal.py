#!/usr/bin/env python3
"""Runs a command under a real pseudo-terminal and plays a dialogue with it, like expect(1).

Usage: terminal.py SPEC.json
SPEC: {"cmd": [...], "cwd": "...", "env": {...}, "timeout": 30,
       "steps": [{"expect": "regex", "send": "text"}, ...]}
Each step waits (up to the timeout) until the output since the previous match matches `expect`,
then types `send`. After the steps, it waits for the process to exit. Prints one JSON object:
{"code": exit status, "transcript": everything the terminal showed, "failed": step index or null}.
"""
import json
import os
import pty
import re
import select
import sys
import time


def main() -> None:
    spec = json.load(open(sys.argv[1]))
    timeout = float(spec.get("timeout", 30))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec["cwd"])
        env = dict(spec.get("env") or os.environ)
        env.setdefault("TERM", "dumb")
        os.execvpe(spec["cmd"][0], spec["cmd"], env)
    transcript = b""
    cursor = 0
    failed = None

    def read_some(deadline: float) -> bool:
        nonlocal transcript
        remaining = max(0.0, deadline - time.time())
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if not ready:
            return True
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        transcript += chunk
        return True

    for i, step in enumerate(spec.get("steps", [])):
        pattern = re.compile(step["expect"], re.S)
        deadline = time.time() + timeout
        alive = True
        while True:
            m = pattern.search(transcript.decode("utf8", "replace"), cursor)
            if m:
                cursor = m.end()
                break
            if time.time() > deadline or not alive:
                failed = i
                break
            alive = read_some(deadline)
        if failed is not None:
            break
        os.write(fd, step["send"].encode("utf8"))
    deadline = time.time() + timeout
    while time.time() < deadline and read_some(deadline):
        pass
    code = None
    for _ in range(50):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.1)
    if code is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    print(json.dumps({"code": code, "transcript": transcript.decode("utf8", "replace"), "failed": failed}))


main()
