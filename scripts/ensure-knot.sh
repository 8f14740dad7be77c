#!/usr/bin/env bash
# Installs Knot DNS (knotd) and its query tool (kdig) from Debian's packages
# when either is missing. Used by the install script and by the test harness.
set -euo pipefail
if [ -x /usr/sbin/knotd ] && command -v kdig >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
fi
echo "installing knot and knot-dnsutils from Debian's packages" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq knot knot-dnsutils >&2
