"""Reading an ``ssh-peft-selection-plan`` (the JSON ``ssh-peft select`` writes)."""
from __future__ import annotations

import json
import os
import re

import numpy as np

from .errors import PlanFormatError

PLAN_FORMAT = "ssh-peft-selection-plan"
LAYER_KEYS = {"name", "rows", "cols", "energyChosen", "capturedEnergy", "fingerprint", "indices"}
FINGERPRINT = re.compile(r"^ssh-fp1:(\d+)x(\d+):[0-9a-f]{16}$")


def read_plan(plan) -> dict:
    """A plan from a path, JSON text or an already parsed dict → ``{options, layers}`` with each
    layer's ``indices`` as an int64 array. Validates names, shapes, positions and fingerprints."""
    if isinstance(plan, dict):
        raw = plan
    else:
        text = plan
        if isinstance(plan, (os.PathLike, str)) and not str(plan).lstrip().startswith("{"):
            with open(plan, "r", encoding="utf-8") as f:
                text = f.read()
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            raise PlanFormatError("(text)", f"not JSON ({e})") from None
    if not isinstance(raw, dict) or raw.get("format") != PLAN_FORMAT:
        raise PlanFormatError("format", f"expected {PLAN_FORMAT!r}")
    if raw.get("version") != 1:
        raise PlanFormatError("version", f"{raw.get('version')!r} is not 1")
    options = raw.get("options")
    if not isinstance(options, dict):
        raise PlanFormatError("options", "expected an object")
    layers = raw.get("layers")
    if not isinstance(layers, list) or not layers:
        raise PlanFormatError("layers", "expected a non-empty array")
    out = []
    names = set()
    for i, layer in enumerate(layers):
        path = f"layers[{i}]"
        if not isinstance(layer, dict) or not LAYER_KEYS.issuperset(layer) or not {"name", "rows", "cols", "fingerprint", "indices"} <= set(layer):
            raise PlanFormatError(path, f"expected an object with the fields {', '.join(sorted(LAYER_KEYS))}")
        name, rows, cols = layer["name"], layer["rows"], layer["cols"]
        if not isinstance(name, str) or not name or name in names:
            raise PlanFormatError(f"{path}.name", f"{name!r} is empty, not a string or repeated")
        names.add(name)
        if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in (rows, cols)):
            raise PlanFormatError(path, f"rows {rows!r} / cols {cols!r} are not positive integers")
        m = FINGERPRINT.match(str(layer["fingerprint"]))
        if not m or (int(m.group(1)), int(m.group(2))) != (rows, cols):
            raise PlanFormatError(f"{path}.fingerprint", f"{layer['fingerprint']!r} is not an ssh-fp1 fingerprint of a {rows}x{cols} matrix")
        idx = layer["indices"]
        if not isinstance(idx, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in idx):
            raise PlanFormatError(f"{path}.indices", "expected an array of integers")
        arr = np.asarray(idx, dtype=np.int64)
        if arr.size and (arr.min() < 0 or arr.max() >= rows * cols):
            raise PlanFormatError(f"{path}.indices", f"a position is outside [0, {rows * cols})")
        if np.unique(arr).size != arr.size:
            raise PlanFormatError(f"{path}.indices", "positions repeat")
        out.append({"name": name, "rows": rows, "cols": cols, "fingerprint": layer["fingerprint"], "indices": arr})
    return {"options": options, "layers": out}
