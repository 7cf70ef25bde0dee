#!/usr/bin/env bash
# Builds an installable archive of pg_lens for one PostgreSQL major:
#   scripts/package.sh [--major 15] [--release 0.1.0] [--out dist]
# prints the archive's path: OUT/pg_lens-VERSION-pgMAJOR.tar.gz (and its .sha256 beside it),
# holding lib/pg_lens.so, extension/ (control file, install and update scripts), install.sh
# and INSTALL.txt. --release builds a released version from its commit (RELEASES) in a
# temporary worktree instead of this checkout: the update tests start from those.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
major=15 release="" out=$root/dist
while [ $# -gt 0 ]; do
    case $1 in
        --major) major=$2; shift 2 ;;
        --release) release=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: scripts/package.sh [--major N] [--release VERSION] [--out DIR]" >&2; exit 2 ;;
    esac
done
scripts/setup.sh >/dev/null
pg_config=$(scripts/pg.sh "$major")
mkdir -p "$out"; out=$(cd "$out" && pwd)

tree=$root
if [ -n "$release" ]; then
    commit=$(awk -v v="$release" '$1 == v { print $2 }' RELEASES)
    [ -n "$commit" ] || { echo "package.sh: $release is not in RELEASES" >&2; exit 2; }
    tree=$root/target/releases/$release
    if [ "$(git -C "$tree" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$commit^{commit}" 2>/dev/null)" ]; then
        rm -rf "$tree"; git worktree prune
        git worktree add --force --detach "$tree" "$commit" >/dev/null 2>&1 \
            || { echo "package.sh: cannot check out $commit (a shallow clone? fetch the history)" >&2; exit 2; }
    fi
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$tree/Cargo.toml" | head -1)
name=pg_lens-$version-pg$major
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
# one target directory per tree, kept between runs (a release builds once)
(cd "$tree" && CARGO_TARGET_DIR=$tree/target cargo pgrx package --pg-config "$pg_config" --out-dir "$stage/files" 2>&1 \
    | grep -E "^error|warning: unused" || true)

mkdir -p "$stage/$name/lib" "$stage/$name/extension"
lib=$(find "$stage/files" -name 'pg_lens.so' | head -1)
[ -n "$lib" ] || { echo "package.sh: the build made no pg_lens.so" >&2; exit 1; }
cp "$lib" "$stage/$name/lib/"
find "$stage/files" -path '*/extension/*' -name 'pg_lens*' -exec cp {} "$stage/$name/extension/" \;
# pgrx writes only this version's install script: the update scripts come from sql/
cp "$tree"/sql/pg_lens--*--*.sql "$stage/$name/extension/" 2>/dev/null || true
[ -f "$tree/CHANGELOG.md" ] && cp "$tree/CHANGELOG.md" "$stage/$name/"
server_version=$("$pg_config" --version)
cat > "$stage/$name/INSTALL.txt" <<EOF
pg_lens $version for PostgreSQL $major (built against $server_version)

Install, as the user that owns the PostgreSQL installation:
    ./install.sh /path/to/pg_config      (default: the pg_config on the PATH)
which copies lib/pg_lens.so into \`pg_config --pkglibdir\` and extension/* into
\`pg_config --sharedir\`/extension. Then, in each database:
    CREATE EXTENSION pg_lens;            -- a new install
    ALTER EXTENSION pg_lens UPDATE;      -- an older pg_lens installed: keeps its history
A running server needs no restart; sessions that already used pg_lens keep the library
they loaded until they end. CHANGELOG.md says what each version changes and whether an
update resyncs capture.
EOF
cat > "$stage/$name/install.sh" <<'EOF'
#!/bin/sh
# Installs this package into the PostgreSQL installation of a pg_config: install.sh [PG_CONFIG]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pg_config=${1:-pg_config}
want=$(cat "$here/MAJOR")
have=$("$pg_config" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
if [ "$have" != "$want" ]; then
    echo "install.sh: this package is for PostgreSQL $want, $pg_config is PostgreSQL $have" >&2
    exit 1
fi
libdir=$("$pg_config" --pkglibdir)
extdir=$("$pg_config" --sharedir)/extension
# a new file, not one written over: servers running keep mapping the library they loaded
cp "$here/lib/pg_lens.so" "$libdir/.pg_lens.so.new" && mv -f "$libdir/.pg_lens.so.new" "$libdir/pg_lens.so"
cp "$here"/extension/* "$extdir/"
echo "pg_lens installed into $libdir and $extdir"
EOF
chmod +x "$stage/$name/install.sh"
echo "$major" > "$stage/$name/MAJOR"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
