"""`make run`'s SQLite under concurrent use: several clients saving journal notes and
first contacts at the same moment get no error (issue 14: "database is locked" 500s).
Runs the local settings in a subprocess against a fresh SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_concurrent_saves_on_sqlite_give_no_error(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vagen.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 – our own script, our own interpreter
        [sys.executable, str(ROOT / "tests" / "sqlite_concurrency_script.py"), "6"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["journal_mode"] == "wal"
    assert len(result["statuses"]) == 5 * 6
    assert all(status == 302 for status in result["statuses"]), result["statuses"]
    assert result["notes"] == 4 * 6 and result["contacts"] == 6
