"""Copy Vägen's stored files out of and back into their storage (scripts/backup.sh,
scripts/restore.sh). With VAGEN_S3_BUCKET: every object of the bucket, through the S3
API (boto3, the same client the application uses); without it: MEDIA_ROOT.

    python scripts/objects_backup.py download DIR
    python scripts/objects_backup.py upload DIR

Only names and counts are printed – object names are random or checksums, never
personal data."""

import os
import shutil
import sys
from pathlib import Path


def _client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("VAGEN_S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("VAGEN_S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("VAGEN_S3_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("VAGEN_S3_REGION", "us-east-1"),
    )


def _media_root() -> Path:
    default = Path(__file__).resolve().parents[1] / "var" / "media"
    return Path(os.environ.get("MEDIA_ROOT") or default)


def download(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    bucket = os.environ.get("VAGEN_S3_BUCKET")
    if not bucket:
        source = _media_root()
        if source.exists():
            shutil.copytree(source, target, dirs_exist_ok=True)
        return sum(1 for p in target.rglob("*") if p.is_file())
    client = _client()
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            path = (target / key).resolve()
            if target.resolve() not in path.parents:
                raise SystemExit(f"refusing object name outside the folder: {key!r}")
            path.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, key, str(path))
            count += 1
    return count


def upload(source: Path) -> int:
    bucket = os.environ.get("VAGEN_S3_BUCKET")
    files = [p for p in sorted(source.rglob("*")) if p.is_file()] if source.exists() else []
    if not bucket:
        target = _media_root()
        for path in files:
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        return len(files)
    client = _client()
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)  # private: no ACL given
    for path in files:
        client.upload_file(str(path), bucket, path.relative_to(source).as_posix())
    return len(files)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("download", "upload"):
        print(__doc__, file=sys.stderr)
        return 2
    action, folder = argv[1], Path(argv[2])
    count = download(folder) if action == "download" else upload(folder)
    print(f"{action}: {count} filer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
