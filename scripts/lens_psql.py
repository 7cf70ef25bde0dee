"""psql for the scripts beside it: one statement in, rows out (CSV), an error ends the script."""
import csv
import io
import secrets
import subprocess
import sys

csv.field_size_limit(sys.maxsize)


def psql(who, db, sql, *variables):
    """The rows `sql` returns in database `db` (header left out); `variables` are (name, value)
    pairs psql interpolates as :'name'. On an error, exits with `who: message`."""
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-d", db]
    for name, value in variables:
        cmd += ["-v", f"{name}={value}"]
    # psql interpolates :'name' in statements it reads, not in -c: feed the SQL on stdin
    out = subprocess.run(cmd, input=sql, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"{who}: {out.stderr.strip()}")
    return list(csv.reader(io.StringIO(out.stdout)))[1:]


def dollar_quoted(text):
    """`text` as an SQL literal of any size (a psql variable is one command-line argument,
    limited to 128 kB): dollar-quoted with a tag the text does not hold."""
    while True:
        tag = f"$lens_{secrets.token_hex(8)}$"
        if tag not in text:
            return f"{tag}{text}{tag}"
