"""More than one machine (issue 23): two web nodes (gunicorn, production settings,
different ports) and two Celery workers, each in a directory of its own with a
MEDIA_ROOT of its own – no shared disk – on one PostgreSQL, one Redis and one real
S3-compatible server (SeaweedFS). A session made on one web node works on the other; an
export ordered on node A is made by a worker, lands in the private bucket, and is
downloaded through node B after the gate. The bucket gives nothing to anyone without
the keys."""

import urllib.error
import urllib.request

import pytest

from cases.roles import Role
from cases.tests.factories import CaseFactory
from reporting.models_jobs import ExportImportJob
from tests.stack.stack import (
    Browser,
    Timer,
    free_port,
    gunicorn_ready,
    media_files,
    service_command,
    set_production_password,
    wait_for,
    with_port,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "stack-test-password"


def test_two_web_nodes_two_workers_one_database_broker_and_bucket(
    services, nodes, static_root, unit, unit_manager, caseworker, make_user, other_unit
):
    timer = Timer()
    set_production_password(unit_manager, PASSWORD)
    stranger = make_user(Role.UNIT_MANAGER, unit=other_unit)
    set_production_password(stranger, PASSWORD)
    case = CaseFactory(caseworker=caseworker)

    webs = {}
    for name in ("a", "b"):
        node = nodes(f"web-{name}")
        port = free_port()
        env = services.env(
            "web",
            node_dir=node.path,
            STATIC_ROOT=str(static_root),
            # Every export through a worker, however small (a setting for operators too).
            VAGEN_EXPORT_SYNC_MAX_ROWS="0",
        )
        # The compose command; two gunicorn workers per node are enough here.
        node.start([*with_port(service_command("web"), port), "--workers", "2"], env, "web")
        webs[name] = (node, port)
    workers = []
    for name in ("1", "2"):
        node = nodes(f"worker-{name}")
        env = services.env("worker", node_dir=node.path)
        command = [*service_command("worker"), "--hostname", f"w{name}@%h", "--concurrency", "1"]
        node.start(command, env, "worker")
        workers.append(node)
    for _node, port in webs.values():
        wait_for(lambda port=port: gunicorn_ready(port), timeout=45, what="gunicorn")
    timer.mark("both web nodes answer")
    (_, port_a), (_, port_b) = webs["a"], webs["b"]

    # One session, both nodes (sessions are in the database; same SECRET_KEY).
    browser = Browser()
    browser.login(port_a, unit_manager.username, PASSWORD)
    response, page = browser.get(port_b, "/uppfoljning/export/")
    assert response.status == 200, page[:200]
    token = browser.csrf_from(page)

    # Ordered on B's page, posted to A: the job is queued for the workers.
    response, _ = browser.post(
        port_a,
        "/uppfoljning/export/",
        {"kind": "export_cases", "file_format": "csv", "csrfmiddlewaretoken": token},
    )
    assert response.status == 302
    location = response.getheader("Location")
    job = ExportImportJob.objects.get(user=unit_manager)
    assert location.endswith(f"/uppfoljning/jobb/{job.pk}/")
    # A storage hiccup sends the job back to the queue for another try (reporting.jobs
    # STORAGE_RETRY_SECONDS): up to 5 + 20 s more than the export itself.
    finished = (ExportImportJob.State.DONE, ExportImportJob.State.FAILED)
    try:
        wait_for(
            lambda: ExportImportJob.objects.get(pk=job.pk).state in finished,
            timeout=90,
            what="a worker to make the export",
        )
    except AssertionError:
        pass
    job.refresh_from_db()
    if job.state != ExportImportJob.State.DONE:
        logs = "\n".join(
            f"--- worker {i}\n{w.log('worker')[-3000:]}" for i, w in enumerate(workers)
        )
        webs_logs = "\n".join(
            f"--- web {n}\n{node.log('web')[-2000:]}" for n, (node, _) in webs.items()
        )
        raise AssertionError(
            f"the export is {job.state} after {job.attempts} attempt(s)\n{logs}\n{webs_logs}"
            f"\n--- SeaweedFS\n{services.s3_log()[-3000:]}"
        )
    timer.mark("export made by a worker")
    job.refresh_from_db()
    worker_logs = [w.log("worker") for w in workers]
    assert any("run_export_import_job" in log and "succeeded" in log for log in worker_logs)

    # The file is in the bucket – and on no node's disk.
    client = __import__("boto3").client(
        "s3",
        endpoint_url=services.s3_endpoint,
        aws_access_key_id=services.s3_key,
        aws_secret_access_key=services.s3_secret,
        region_name="us-east-1",
    )
    stored = client.get_object(Bucket=services.bucket, Key=job.result.name)["Body"].read()
    assert case.reference.encode() in stored
    for node, _port in webs.values():
        assert media_files(node) == []
    for node in workers:
        assert media_files(node) == []

    # Downloaded through B, after the gate, with no storage URL in sight.
    response, body = browser.get(port_b, f"/uppfoljning/jobb/{job.pk}/fil/")
    assert response.status == 200
    assert body == stored
    assert response.getheader("Cache-Control") == "no-store"
    assert services.s3_endpoint.encode() not in body
    response, page = browser.get(port_a, f"/uppfoljning/jobb/{job.pk}/")
    assert response.status == 200
    assert services.s3_endpoint.encode() not in page and b"X-Amz" not in page

    # Another unit's manager, on either node: nothing.
    other = Browser()
    other.login(port_b, stranger.username, PASSWORD)
    for port in (port_a, port_b):
        response, _ = other.get(port, f"/uppfoljning/jobb/{job.pk}/fil/")
        assert response.status == 404

    # The bucket is private: without the keys, no object – nor a listing.
    for url in (
        f"{services.s3_endpoint}/{services.bucket}/{job.result.name}",
        f"{services.s3_endpoint}/{services.bucket}",
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310
        assert refused.value.code in (401, 403)

    # Logged out on A is logged out on B.
    response, page = browser.get(port_a, "/")
    token = browser.csrf_from(page) if b"csrfmiddlewaretoken" in page else None
    if token:
        browser.post(port_a, "/logga-ut/", {"csrfmiddlewaretoken": token})
        response, _ = browser.get(port_b, "/uppfoljning/export/")
        assert response.status == 302
        assert "/logga-in/" in response.getheader("Location")
    timer.mark("done")
