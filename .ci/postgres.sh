#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1:54329 for the multi-process tests, installing the
# Debian package first when the machine lacks it. Prints the SQLAlchemy URL on its last line.
set -euo pipefail
PORT=54329
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DATA=$(mktemp -d /tmp/mockcp-pg.XXXXXX)
chown postgres "$DATA"
runuser -u postgres -- "$BIN/initdb" -D "$DATA" -A trust -U mockcp >&2
runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" -l "$DATA/log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
runuser -u postgres -- "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U mockcp mockcp >&2
echo "$DATA" > /tmp/mockcp-pg.datadir
echo "postgresql+psycopg://mockcp@127.0.0.1:$PORT/mockcp"
