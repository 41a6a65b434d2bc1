"""Instructions per request (issue 20), counted by valgrind's callgrind: unlike wall or
CPU time, the count does not move with the load on a shared machine, so two versions of
a page can be compared to a fraction of a per cent.

    .venv/bin/python bench/instructions.py [case|list|dashboard|unread] [N]

Runs this script twice under ``valgrind --tool=callgrind`` on the 10 000-household
database of scale.py (run that first): once with the set-up and warm-up only, once with
N more requests (default 15), and prints the difference per request in millions of
instructions. PYTHONHASHSEED is fixed so both runs do the same work. Slow: about two
minutes for the case page.
"""

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

PAGES = ("case", "list", "dashboard", "unread")


def requests(count: int, page: str) -> None:
    from _setup import setup_django, signed_in_client

    setup_django(os.environ.get("VAGEN_BENCH_INSTRUCTIONS_DB", "vagen_bench_10k"))
    from django.urls import reverse

    from benchdata import UNIT_CODE_PREFIX
    from cases.models import Case, User
    from cases.roles import Role

    unit = f"{UNIT_CODE_PREFIX}01"
    role = Role.UNIT_MANAGER if page == "dashboard" else Role.CASEWORKER
    user = User.objects.filter(unit__code=unit, groups__name=role, is_active=True).order_by("pk")
    user = user.first()
    client = signed_in_client(user, HTTP_HOST="localhost")
    own = sorted(Case.objects.filter(caseworker=user).values_list("pk", flat=True))
    rng = random.Random(1)
    urls = {
        "case": lambda: reverse("case_detail", args=[rng.choice(own)]),
        "list": lambda: reverse("case_list"),
        "dashboard": lambda: reverse("reporting:dashboard"),
        "unread": lambda: reverse("unread_count"),
    }[page]
    for _ in range(10):  # warm-up: caches, compiled queries, templates
        client.get(urls())
    for _ in range(count):
        assert client.get(urls()).status_code == 200


def counted(page: str, count: int) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    env = {**os.environ, "PYTHONHASHSEED": "0", "VAGEN_INSTRUCTIONS_CHILD": f"{page}:{count}"}
    run = subprocess.run(  # noqa: S603 - valgrind and this interpreter, fixed arguments
        [
            valgrind,
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    line = next(x for x in run.stderr.splitlines() if "Collected" in x)
    return int(line.split()[-1].replace(",", ""))


def main() -> int:
    page = sys.argv[1] if len(sys.argv) > 1 else "case"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    if page not in PAGES:
        raise SystemExit(f"page: one of {', '.join(PAGES)}")
    base, more = counted(page, 0), counted(page, count)
    print(f"{page}: {(more - base) / count / 1e6:.1f} M instructions per request ({count})")
    return 0


if __name__ == "__main__":
    child = os.environ.get("VAGEN_INSTRUCTIONS_CHILD")
    if child:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        name, number = child.split(":")
        requests(int(number), name)
        sys.exit(0)
    sys.exit(main())
