#!/usr/bin/env bash
# Build a real PostgreSQL streaming replica on this machine and show pledgewatch reading its public pages from it.
#
# Usage: scripts/replica_demo.sh            (prints each step; bench/results/replica_demo.txt holds one run)
#
# 1. a private primary cluster (initdb) on 127.0.0.1:$PRIMARY_PORT, migrated, with the CA+JAD seed;
# 2. a hot standby made with `pg_basebackup -R` (streaming replication) on 127.0.0.1:$STANDBY_PORT;
# 3. `pledgewatch serve --workers 2` with DATABASE_URL (primary) and DATABASE_REPLICA_URL (standby);
# 4. a commitment written through the primary appears on the public page once the standby replayed it;
# 5. proof that the page reads the standby: with replay paused, a second commitment is on the primary but
#    not on the public page; a client that has just written (an admin login writes its session) is pinned
#    to the primary and sees it; after replay resumes, everybody sees it.
# Everything lives under $WORK and is removed at the end; the machine's own PostgreSQL is not touched.
# initdb and pg_ctl refuse to run as root: as root, the PostgreSQL commands run as the `postgres` user.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${PLEDGEWATCH_REPLICA_DEMO_DIR:-/tmp/pledgewatch-replica-demo}"
PGBIN="${PGBIN:-$(pg_config --bindir)}"
PRIMARY_PORT="${PRIMARY_PORT:-5441}"
STANDBY_PORT="${STANDBY_PORT:-5442}"
APP_PORT="${APP_PORT:-8642}"
PY="$ROOT/.venv/bin/python"
APP="http://127.0.0.1:$APP_PORT"

step() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_at() { psql -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d "${3:-pledgewatch}" -c "$2"; }

SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    for d in standby primary; do
        [ -f "$WORK/$d/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/$d" -m fast -w stop >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

for port in "$PRIMARY_PORT" "$STANDBY_PORT" "$APP_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use; set PRIMARY_PORT, STANDBY_PORT, APP_PORT" >&2; exit 2; fi
done
rm -rf "$WORK" && mkdir -p "$WORK" && chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

step "primary: initdb, streaming replication on (wal_level=replica), port $PRIMARY_PORT"
as_pg "$PGBIN/initdb" -D "$WORK/primary" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<EOF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
fsync = off
EOF
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
psql_at "$PRIMARY_PORT" "CREATE DATABASE pledgewatch" postgres

export PLEDGEWATCH_DATA_DIR="$WORK/app" PLEDGEWATCH_LANG=en PLEDGEWATCH_LOG_LEVEL=ERROR
export PLEDGEWATCH_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/pledgewatch"
unset DATABASE_REPLICA_URL DJANGO_SETTINGS_MODULE

step "primary: migrate and load the CA+JAD seed (pledgewatch migrate; ledger.seed.load_seed)"
(cd "$ROOT" && "$PY" -m pledgewatch.cli migrate --no-input -v 0)
(cd "$ROOT" && "$PY" - <<'EOF'
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
django.setup()
from pledgewatch.ledger.seed import load_seed
from pledgewatch.ledger.models import Commitment
load_seed()
print(f"primary holds {Commitment.objects.count()} commitments")
EOF
)

step "standby: pg_basebackup -R (writes standby.signal and primary_conninfo), port $STANDBY_PORT"
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/standby" -R -X stream -c fast
sed -i "s/^port = .*/port = $STANDBY_PORT/" "$WORK/standby/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w start >/dev/null
echo "standby in recovery (read-only hot standby): $(psql_at "$STANDBY_PORT" "SELECT pg_is_in_recovery()")"
echo "primary sees its standby: $(psql_at "$PRIMARY_PORT" "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")"
echo "a write on the standby is refused: $(psql_at "$STANDBY_PORT" "CREATE TABLE x (i int)" 2>&1 | head -1)"

export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$STANDBY_PORT/pledgewatch"
step "serve: pledgewatch serve --workers 2 with DATABASE_URL=primary, DATABASE_REPLICA_URL=standby"
(cd "$ROOT" && exec "$ROOT/.venv/bin/pledgewatch" serve --host 127.0.0.1 --port "$APP_PORT" --workers 2 \
    >"$WORK/serve.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "$APP/api/v1/openapi.json" && break; sleep 0.2; done

write() {  # write a commitment through the primary (a CLI process: no request, so the router uses default)
    (cd "$ROOT" && TITLE="$1" "$PY" - <<'EOF'
import django, os
from datetime import date
from decimal import Decimal
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
django.setup()
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Initiative, Organisation
c = Commitment.objects.create(title_en=os.environ["TITLE"], title_ja=os.environ["TITLE"], instrument="grant",
                              provider=Organisation.objects.get(slug="jica"), amount=Decimal("123000000"),
                              currency="JPY", qualifier="exact", date=date(2026, 11, 1), stage="signed",
                              stage_date=date(2026, 11, 1))
c.initiatives.add(Initiative.objects.get(slug="ca-jad-tokyo-initiative"))
CommitmentCountry.objects.create(commitment=c, country_id="KG")
print(c.pk)
EOF
)
}
shows() {  # does the public list (q=Replica demo) link to commitment $1? $2: curl cookie jar (optional)
    local jar=() page
    [ -n "${2:-}" ] && jar=(-b "$2" -c "$2")
    page=$(curl -sf "${jar[@]}" "$APP/commitments/?q=Replica+demo&lang=en")
    case "$page" in *"href=\"/commitments/$1/\""*) echo -n "yes" ;; *) echo -n "no" ;; esac
    echo "; /commitments/$1/ answers HTTP $(curl -s "${jar[@]}" -o /dev/null -w '%{http_code}' "$APP/commitments/$1/?lang=en")"
}
replayed() { psql_at "$STANDBY_PORT" "SELECT count(*) FROM ledger_commitment WHERE title_en = '$1'"; }

step "write 'Replica demo bridge A' through the primary"
A_ID=$(write "Replica demo bridge A")
echo "commitment $A_ID written on the primary"
for _ in $(seq 1 50); do [ "$(replayed "Replica demo bridge A")" = 1 ] && break; sleep 0.1; done
echo "standby replayed it: $(replayed "Replica demo bridge A") row"
echo "public list shows A: $(shows "$A_ID")"

step "proof that public pages read the standby: pause its replay (pg_wal_replay_pause), write B"
psql_at "$STANDBY_PORT" "SELECT pg_wal_replay_pause()" >/dev/null
B_ID=$(write "Replica demo bridge B")
echo "commitment $B_ID: on the primary $(psql_at "$PRIMARY_PORT" "SELECT count(*) FROM ledger_commitment WHERE id = $B_ID") row, on the paused standby $(replayed "Replica demo bridge B") rows"
echo "anonymous reader: list shows B: $(shows "$B_ID")   (served from the standby)"
echo "anonymous reader: API /api/v1/commitments/$B_ID answers HTTP $(curl -s -o /dev/null -w '%{http_code}' "$APP/api/v1/commitments/$B_ID")"

step "read-your-writes: an editor logs in to the admin (a POST that writes the session) and is pinned to the primary"
PASSWORD="replica-demo-password-$$-$RANDOM"
(cd "$ROOT" && DJANGO_SUPERUSER_PASSWORD="$PASSWORD" DJANGO_SUPERUSER_USERNAME=editor \
    DJANGO_SUPERUSER_EMAIL=editor@example.org "$PY" -m pledgewatch.cli createsuperuser --no-input >/dev/null)
JAR="$WORK/editor.cookies"
curl -sf -c "$JAR" -o /dev/null "$APP/admin/login/"
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
LOGIN=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' -H "Referer: $APP/admin/login/" \
    --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "username=editor" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "next=/admin/" "$APP/admin/login/")
echo "admin login: HTTP $LOGIN; pin cookie: $(awk '$6 == "pledgewatch_primary" {print $6 "=" $7}' "$JAR")"
echo "editor: list shows B: $(shows "$B_ID" "$JAR")   (pinned to the primary)"
echo "anonymous reader: list shows B: $(shows "$B_ID")   (still the paused standby)"

step "resume replay (pg_wal_replay_resume)"
psql_at "$STANDBY_PORT" "SELECT pg_wal_replay_resume()" >/dev/null
for _ in $(seq 1 50); do [ "$(replayed "Replica demo bridge B")" = 1 ] && break; sleep 0.1; done
echo "standby replayed B: $(replayed "Replica demo bridge B") row"
echo "anonymous reader: list shows B: $(shows "$B_ID")"
echo "anonymous reader: API /api/v1/commitments/$B_ID answers HTTP $(curl -s -o /dev/null -w '%{http_code}' "$APP/api/v1/commitments/$B_ID")"
echo "replication: $(psql_at "$PRIMARY_PORT" "SELECT 'sent ' || sent_lsn || ', replayed ' || replay_lsn || ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication")"

step "done: stopping the server and both clusters, removing $WORK"
