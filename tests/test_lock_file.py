"""The hashed lock files are what `make`, CI and the Docker image install: they must cover
every dependency pyproject.toml names, at a version pyproject.toml allows, each with hashes.
A dependency merged into pyproject.toml without `make lock` fails here, offline."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked(path: Path) -> dict[str, str]:
    pins = {}
    text = path.read_text()
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} in {path.name} has no hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.txt", ["main"]), ("requirements-dev.txt", ["main", "dev"])],
)
def test_lock_pins_every_dependency_within_its_range_with_hashes(lock, groups):
    pins = locked(ROOT / lock)
    meta = project()
    wanted = {"main": meta["dependencies"], "dev": meta["optional-dependencies"]["dev"]}
    missing, outside = [], []
    for group in groups:
        for line in wanted[group]:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            if name not in pins:
                missing.append(requirement.name)
            elif not requirement.specifier.contains(pins[name], prereleases=True):
                outside.append(f"{requirement.name}=={pins[name]} ({requirement.specifier})")
    assert not missing and not outside, (
        f"Kör `make lock`: saknas i {lock}: {missing}; utanför intervallet: {outside}"
    )


def test_production_lock_agrees_with_the_development_lock():
    production = locked(ROOT / "requirements.txt")
    development = locked(ROOT / "requirements-dev.txt")
    differing = {
        name: (version, development.get(name))
        for name, version in production.items()
        if development.get(name) != version
    }
    assert not differing, differing
