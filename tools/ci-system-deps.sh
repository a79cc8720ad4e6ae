#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing:
# * Debian's Chromium, which the tfjs WebGL/WebGPU kernel tests drive headless (SwiftShader);
# * PyTorch and numpy for Debian's /usr/bin/python3 (python3-torch, python3-numpy), which the
#   Python bridge's tests (python/) use, including the DDP and cross-language parity tests.
set -euo pipefail
PYTHON=${SSH_PEFT_PYTHON:-/usr/bin/python3}
missing=()
if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(chromium --version 2>/dev/null | head -1)"
else
  missing+=(chromium)
fi
if [ -x "$PYTHON" ] && "$PYTHON" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "torch present: $("$PYTHON" -c 'import torch; print(torch.__version__)') for $PYTHON"
else
  missing+=(python3 python3-torch python3-numpy)
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v chromium >/dev/null 2>&1 && echo "chromium: $(chromium --version 2>/dev/null | head -1)"
"$PYTHON" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
