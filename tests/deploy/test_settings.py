"""settings.py adds the replica alias, the router and its middleware only when DATABASE_REPLICA_URL is set."""

import json
import os
import subprocess
import sys


def test_settings_add_the_replica_only_when_its_url_is_set(tmp_path):
    probe = ("import json, django; django.setup(); from django.conf import settings as s; "
             "r = s.DATABASES.get('replica', {}); print(json.dumps([r.get('PORT'), r.get('NAME'), "
             "s.DATABASE_ROUTERS, s.MIDDLEWARE[0], s.REPLICA_PIN_SECONDS]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pledgewatch.settings", "PLEDGEWATCH_DATA_DIR": str(tmp_path),
           "DATABASE_URL": "postgres://app@db-primary:5432/pledgewatch"}
    env.pop("DATABASE_REPLICA_URL", None)
    without = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                        check=True).stdout)
    assert without[:3] == [None, None, []] and without[3] != "pledgewatch.dbrouter.ReplicaMiddleware"
    env.update(DATABASE_REPLICA_URL="postgres://app@db-replica:5433/pledgewatch",
               PLEDGEWATCH_REPLICA_PIN_SECONDS="9")
    with_replica = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                             check=True).stdout)
    assert with_replica == [5433, "pledgewatch", ["pledgewatch.dbrouter.ReplicaRouter"],
                            "pledgewatch.dbrouter.ReplicaMiddleware", 9]
