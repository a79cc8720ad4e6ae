"""JSON text exactly as JavaScript's ``JSON.stringify`` writes it (no whitespace, numbers in
JavaScript's shortest round-trip form), so that files written here are byte-identical to the ones
@ssh-peft/adapter writes for the same content."""
from __future__ import annotations

import json
import math


def js_number(value) -> str:
    """``String(value)`` of JavaScript for a finite number (``300.0`` → ``300``, ``1e-07`` → ``1e-7``)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, int):
        return str(value) if abs(value) < 10**21 else js_number(float(value))
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number (JSON cannot hold it)")
    if value == 0:
        return "0"
    text = repr(float(value))  # shortest round-trip digits, like JavaScript
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    raw = whole + frac
    digits = raw.lstrip("0")
    # value = 0.<digits> × 10^n; every leading zero dropped moves the point one place left
    n = len(whole) + (int(exp) if exp else 0) - (len(raw) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


def dumps(value) -> str:
    """``JSON.stringify(value)`` for dicts (insertion order), lists, strings, numbers, bools, None."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps_pretty(value, indent: str = "  ", level: int = 0) -> str:
    """``JSON.stringify(value, null, 2)``."""
    pad = indent * (level + 1)
    end = indent * level
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [pad + json.dumps(str(k), ensure_ascii=False) + ": " + dumps_pretty(v, indent, level + 1) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + dumps_pretty(v, indent, level + 1) for v in value) + "\n" + end + "]"
    return dumps(value)
