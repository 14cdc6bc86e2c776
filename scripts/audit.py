"""Audit the locked dependencies with pip-audit; fail on a known vulnerability that has a fix."""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            "requirements.lock",
            "-f",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"audit: pip-audit failed: {run.stderr.strip().splitlines()[-1:]}")
        return 1
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    fixable = [
        (d["name"], d["version"], v["id"], v["fix_versions"])
        for d in audited
        for v in d.get("vulns", [])
        if v.get("fix_versions")
    ]
    for name, version, vuln, fixes in fixable:
        print(f"audit: {name} {version}: {vuln}, fixed in {', '.join(fixes)}")
    if not audited:
        print(f"audit: the vulnerability service could not be reached; {len(deps)} packages NOT audited")
        return 0
    print(f"audit: {len(audited)} packages audited, {len(fixable)} known vulnerabilities with a fix")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
