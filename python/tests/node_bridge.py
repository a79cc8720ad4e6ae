"""Runs the TypeScript side (CLI and tests/bridge.ts) from the Python tests, through tsx from source."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSX = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), "--conditions=@ssh-peft/source"]
BRIDGE = os.path.join(ROOT, "python", "tests", "bridge.ts")


def run_ts(script, *args, timeout=300):
    proc = subprocess.run(TSX + [script, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{os.path.basename(script)} {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def bridge(command, out_json, *args):
    """Runs bridge.ts ``command out_json args…`` and returns the JSON it wrote."""
    run_ts(BRIDGE, command, out_json, *args)
    with open(out_json, encoding="utf-8") as f:
        return json.load(f)


def ssh_peft(*args):
    """The ssh-peft CLI from source (`packages/cli/src/bin.ts`)."""
    return run_ts(os.path.join(ROOT, "packages", "cli", "src", "bin.ts"), *args)
