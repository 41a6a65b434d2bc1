"""The web container's healthcheck (docker-compose.yml):

    python -m config.healthcheck            # readiness, http://127.0.0.1:$PORT/halsa/redo/
    python -m config.healthcheck /halsa/    # liveness only

Exit 0 when the answer is 200, else 1. Only the standard library: it must work when
Django itself cannot start. Plain HTTP to 127.0.0.1 is right – the endpoints are
exempt from the HTTPS redirect and from ALLOWED_HOSTS (config.ops).
"""

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/halsa/redo/"
    port = os.environ.get("PORT", "8000")
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 – fixed http URL
            ok = response.status == 200
    except (urllib.error.URLError, OSError) as error:
        print(f"{url}: {error}", file=sys.stderr)  # noqa: T201
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
