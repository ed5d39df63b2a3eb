#!/usr/bin/env python3
"""Start a command, poll a URL until it answers 200, report the time from spawn and the RSS.

Usage: ready.py --url URL [--runs N] [--env K=V ...] -- command args...
Prints one JSON object: {"ready_ms": [...], "cpu_ms": [...], "rss_mb": [...], "median_ready_ms",
"median_cpu_ms", "median_rss_mb"}. cpu_ms is the process's user + system CPU time when it first
answered (all its threads): on a shared machine it moves less than the wall time does.
Each run is stopped with SIGTERM once measured (RSS read 1 s after ready, when start-up is over).
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of proc(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def poll(url, deadline):
    parts = urllib.parse.urlsplit(url)
    while time.perf_counter() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=0.5)
            conn.request("GET", parts.path or "/")
            if conn.getresponse().status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.005)
    return False


def one_run(cmd, env, url, timeout):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not poll(url, start + timeout):
            raise SystemExit(f"not ready within {timeout}s: {' '.join(cmd)}")
        ready = (time.perf_counter() - start) * 1000.0
        cpu = cpu_ms(proc.pid)
        time.sleep(1.0)
        return ready, cpu, rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    env = dict(os.environ)
    for pair in args.env:
        key, _, value = pair.partition("=")
        env[key] = value
    readies, cpus, rsses = [], [], []
    for _ in range(args.runs):
        ready, cpu, rss = one_run(cmd, env, args.url, args.timeout)
        readies.append(round(ready, 1))
        cpus.append(round(cpu))
        rsses.append(round(rss, 1))
    json.dump(
        {
            "ready_ms": readies,
            "cpu_ms": cpus,
            "rss_mb": rsses,
            "median_ready_ms": round(statistics.median(readies), 1),
            "median_cpu_ms": round(statistics.median(cpus)),
            "median_rss_mb": round(statistics.median(rsses), 1),
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
