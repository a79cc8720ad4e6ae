#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium, which the tfjs
# WebGL/WebGPU kernel tests drive headless (SwiftShader) through playwright-core.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium installed: $(chromium --version 2>/dev/null | head -1)"
