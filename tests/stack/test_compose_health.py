"""docker-compose.yml, run as it is configured, becomes healthy (issue 23).

The web service's command (the Dockerfile's CMD: gunicorn with production settings)
and the worker's command start here with the compose environment – DJANGO_ALLOWED_HOSTS
left at ``localhost``, the HTTPS redirect on – on the test database, the test Redis and
a real SeaweedFS; nginx runs deploy/nginx/vagen.conf in front. Then every healthcheck
in the compose file is run as its container would run it, and must pass."""

import http.client
import os
import ssl
import subprocess

import pytest

from tests.stack.stack import (
    Browser,
    Timer,
    compose,
    free_port,
    gunicorn_ready,
    service_command,
    set_production_password,
    wait_for,
    with_port,
)

pytestmark = pytest.mark.django_db(transaction=True)


def healthcheck_argv(service: str, spec: dict) -> list[str]:
    test = spec["healthcheck"]["test"]
    kind, rest = test[0], test[1:]
    if kind == "CMD":
        return list(rest)
    if kind == "CMD-SHELL":
        # compose turns $$ into $ before the container's shell sees it.
        return ["sh", "-c", rest[0].replace("$$", "$")]
    raise AssertionError(f"{service}: unknown healthcheck form {kind}")


def test_every_compose_healthcheck_passes_against_the_compose_commands(
    services, nodes, nginx, static_root, unit_manager
):
    timer = Timer()
    web_port = free_port()
    web = nodes("web")
    web_env = services.env("web", node_dir=web.path, STATIC_ROOT=str(static_root))
    # Exactly compose's environment, with the container addresses replaced.
    assert web_env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert web_env["DJANGO_ALLOWED_HOSTS"] == "localhost"
    assert web_env["DJANGO_SECURE_SSL_REDIRECT"] == "true"
    command = with_port(service_command("web"), web_port)
    assert command[0] == "gunicorn"
    web_process = web.start(command, web_env, "gunicorn")
    wait_for(lambda: gunicorn_ready(web_port), timeout=40, what="gunicorn")
    timer.mark("gunicorn answers")

    worker = nodes("worker")
    worker_env = services.env("worker", node_dir=worker.path)
    worker.start(service_command("worker"), worker_env, "worker")
    proxy = nginx(web_port)
    timer.mark("nginx answers")

    # How each container's healthcheck reaches its own service from inside, here.
    adapt = {
        "web": lambda argv: (argv, {**web_env, "PORT": str(web_port)}),
        "worker": lambda argv: (argv, worker_env),
        "postgres": lambda argv: (
            argv,
            {**os.environ, "PGHOST": services.pg_host, "PGPORT": str(services.pg_port)},
        ),
        "redis": lambda argv: (
            [argv[0], "-u", services.redis_url, *argv[1:]],
            dict(os.environ),
        ),
        "seaweedfs": lambda argv: (
            [a.replace("127.0.0.1:8333", services.s3_endpoint.split("//")[1]) for a in argv],
            dict(os.environ),
        ),
        "proxy": lambda argv: (
            [a.replace("127.0.0.1:443", f"127.0.0.1:{proxy['https']}") for a in argv],
            dict(os.environ),
        ),
    }
    with_checks = {name for name, spec in compose()["services"].items() if "healthcheck" in spec}
    assert with_checks == set(adapt), "a compose healthcheck this test does not run"

    ran = {}
    for name in sorted(with_checks):
        argv, env = adapt[name](healthcheck_argv(name, compose()["services"][name]))

        def passes(argv=argv, env=env):
            result = subprocess.run(  # noqa: S603 – the compose file's commands
                argv, env=env, cwd=web.path, capture_output=True, timeout=30, check=False
            )
            return result.returncode == 0

        # A worker answers ping only once it has connected; compose retries too.
        wait_for(passes, timeout=40, what=f"the {name} healthcheck", interval=1)
        ran[name] = argv
        timer.mark(f"healthcheck {name} passed")
    print("healthchecks run:", *(f"{k}: {' '.join(v)}" for k, v in ran.items()), sep="\n  ")  # noqa: T201
    assert set(ran) == with_checks

    # The readiness answer names its checks and nothing else.
    conn = http.client.HTTPConnection("127.0.0.1", web_port, timeout=10)
    conn.request("GET", "/halsa/redo/", headers={"Host": "10.0.0.7"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200
    assert body == (
        b'{"status": "ok", "kontroller": {"databas": "ok", "migreringar": "ok", '
        b'"meddelandeko": "ok", "fillagring": "ok"}}'
    )
    # The HTTPS redirect is on for everything else, and ALLOWED_HOSTS holds.
    conn.request("GET", "/logga-in/", headers={"Host": "localhost"})
    response = conn.getresponse()
    response.read()
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/logga-in/"
    conn.request("GET", "/logga-in/", headers={"Host": "evil.example"})
    response = conn.getresponse()
    response.read()
    assert response.status == 400
    conn.close()

    # Through nginx with TLS: X-Forwarded-Proto is set, so the login page answers.
    context = ssl.create_default_context(cafile=str(proxy["cert"]))
    context.check_hostname = False
    tls = http.client.HTTPSConnection("127.0.0.1", proxy["https"], timeout=10, context=context)
    tls.request("GET", "/logga-in/", headers={"Host": "localhost"})
    response = tls.getresponse()
    page = response.read()
    assert response.status == 200, page[:300]
    assert response.getheader("Strict-Transport-Security")
    assert "__Host-csrftoken" in (response.getheader("Set-Cookie") or "")
    # A client cannot pretend: nginx overwrites X-Forwarded-Proto over plain HTTP.
    plain = http.client.HTTPConnection("127.0.0.1", proxy["http"], timeout=10)
    plain.request("GET", "/logga-in/", headers={"Host": "localhost", "X-Forwarded-Proto": "https"})
    response = plain.getresponse()
    response.read()
    assert response.status == 301
    assert response.getheader("Location", "").startswith("https://")
    # Static files come from nginx itself (cacheable), /metrics never goes outside.
    static_path = next(p for p in static_root.rglob("*.css") if ".gz" not in p.name)
    url = "/static/" + static_path.relative_to(static_root).as_posix()
    tls.request("GET", url, headers={"Host": "localhost"})
    response = tls.getresponse()
    response.read()
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control", "")
    tls.request("GET", "/metrics", headers={"Host": "localhost"})
    response = tls.getresponse()
    response.read()
    assert response.status == 404
    # Too large a body is refused by nginx before it reaches Vägen.
    tls.request("POST", "/logga-in/", body=b"x" * (13 * 1024 * 1024), headers={"Host": "localhost"})
    response = tls.getresponse()
    response.read()
    assert response.status == 413
    tls.close()

    # A real login and a page through the proxy, then the logs.
    browser = Browser()
    set_production_password(unit_manager, "stack-test-password")
    browser.login(web_port, unit_manager.username, "stack-test-password")
    response, _ = browser.get(web_port, "/")
    assert response.status in (200, 302)

    # /metrics under gunicorn: every worker's latencies summed (multiprocess mode),
    # the queue length from Redis; only to the internal network (127.0.0.1 here).
    conn = http.client.HTTPConnection("127.0.0.1", web_port, timeout=10)
    conn.request("GET", "/metrics", headers={"Host": "web"})
    response = conn.getresponse()
    metrics = response.read().decode()
    conn.close()
    assert response.status == 200
    counts = [
        line
        for line in metrics.splitlines()
        if line.startswith("vagen_http_request_duration_seconds_count{")
        and 'view="login"' in line
        and 'status="200"' in line
    ]
    assert counts and float(counts[0].rsplit(" ", 1)[1]) >= 1
    assert 'vagen_celery_queue_length{queue="celery"}' in metrics
    timer.mark("requests done")
    web_process.terminate()
    web_process.wait(20)
    log = web.log("gunicorn")
    assert "/halsa/" not in log  # neither the access log nor Vägen's request lines
    assert '"GET /logga-in/"' in log  # the access log is on, without query strings
    assert '"logger": "vagen.request"' in log  # JSON lines
    assert f'"user_id": "{unit_manager.pk}"' in log
    assert unit_manager.username not in log
