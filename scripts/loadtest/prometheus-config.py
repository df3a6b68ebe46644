#!/usr/bin/env python3
"""Writes a Prometheus config for a load-test run from the project's monitoring/prometheus.yml.

Same rule files, intervals and jobs; the virtual-queue job scrapes the server under test, the
prometheus job this Prometheus; jobs whose targets do not answer here (exporters not installed)
are dropped and named on stderr; no Alertmanager (the driver reads ALERTS from Prometheus).
Usage: prometheus-config.py MONITORING_DIR MANAGEMENT_ADDR PROMETHEUS_ADDR OUT_FILE
"""
import os
import socket
import sys

import yaml


def answers(target):
    host, _, port = target.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def main(monitoring, management, prometheus, out):
    with open(os.path.join(monitoring, "prometheus.yml")) as f:
        cfg = yaml.safe_load(f)
    cfg["rule_files"] = [os.path.abspath(os.path.join(monitoring, r)) for r in cfg.get("rule_files", [])]
    cfg.pop("alerting", None)
    jobs = []
    for job in cfg.get("scrape_configs", []):
        name = job["job_name"]
        if name == "virtual-queue":
            job["static_configs"] = [{"targets": [management]}]
        elif name == "prometheus":
            job["static_configs"] = [{"targets": [prometheus]}]
        else:
            for sc in job.get("static_configs", []):
                sc["targets"] = [t for t in sc.get("targets", []) if answers(t)]
            job["static_configs"] = [sc for sc in job.get("static_configs", []) if sc["targets"]]
            if not job["static_configs"]:
                print(f"prometheus: job {name} dropped (no target answers here)", file=sys.stderr)
                continue
        jobs.append(job)
    cfg["scrape_configs"] = jobs
    with open(out, "w") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)


if __name__ == "__main__":
    main(*sys.argv[1:5])
