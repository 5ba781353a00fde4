#!/usr/bin/env bash
# Chromium and its driver from Debian for the dashboard's browser tests (tests/ui/), installed
# when the machine lacks them. The tests drive /usr/bin/chromium through /usr/bin/chromedriver.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium chromium-driver >&2
fi
/usr/bin/chromedriver --version
