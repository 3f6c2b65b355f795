"""kg as a package: `python -m build` makes an sdist and a wheel that carry kg's ontology, templates
and models, and kg installed from the wheel in a fresh venv outside the repository builds the
seeds to the same bytes as the editable install, and queries, validates and exports them.

Slow (about a minute: a build of the wheel, a venv, two builds of the seeds).  The fresh venv
has no editable install of kg, only the wheel; it finds kg's dependencies in the project's venv
(a ``.pth`` file naming its site-packages) so it needs no network.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, require_client

pytestmark = pytest.mark.slow


def _run(cmd: list, cwd: Path, env: dict | None = None) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _setuptools_ok() -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return int(version("setuptools").split(".")[0]) >= 77
    except PackageNotFoundError:
        return False


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    require_client(importlib.util.find_spec("build") is not None and _setuptools_ok(),
                   "PyPI build with setuptools>=77 (to build the wheel offline)",
                   f"{sys.executable} -m pip install -r requirements.lock")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=ROOT)
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh venv, outside the repository, with kg installed from the wheel only."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", home], cwd=home.parent)
    site = Path(_run([home / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=home.parent).strip())
    (site / "kg_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (wheel,) = dist.glob("kg-*.whl")
    _run([sys.executable, "-m", "pip", "--python", home / "bin" / "python", "install", "--no-deps", "--no-index",
          "--quiet", wheel], cwd=home.parent)
    return home


@pytest.fixture(scope="module")
def builds(venv, tmp_path_factory):
    """The seeds (a copy, at one path) built by the wheel's kg and by the editable install's, from a
    folder outside the repository."""
    work = tmp_path_factory.mktemp("work")
    seeds = shutil.copytree(SEEDS, work / "seeds")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    editable = Path(sys.executable).parent / "kg"
    for name, kg in (("wheel", venv / "bin" / "kg"), ("editable", editable)):
        _run([kg, "build", seeds, "--out", work / name, "--no-cache"], cwd=work, env=env)
    return work, env


def test_the_wheel_and_the_sdist_carry_the_package_and_its_data(dist):
    (wheel,) = dist.glob("kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py")}
    assert code <= names, sorted(code - names)  # the package list of pyproject.toml misses none
    ontology = {f"kg/default_ontology/{p.relative_to(ROOT / 'ontology').as_posix()}"
                for p in (ROOT / "ontology").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert ontology <= names and "kg/default_ontology/gazetteer/missions.jsonl" in names
    assert {"kg/export/templates/graph.js", "kg/export/templates/graph.html.j2", "kg/record_shapes.ttl"} <= names
    models = {f"kg/models/{p.name}" for p in (ROOT / "kg" / "models").glob("*.json")}
    assert models <= names
    (sdist,) = dist.glob("kg-*.tar.gz")
    members = {m.split("/", 1)[1] for m in tarfile.open(sdist).getnames() if "/" in m}
    assert {"ontology/kg.ttl", "ontology/gazetteer/missions.jsonl", "pyproject.toml"} <= members


def test_kg_in_the_fresh_venv_is_the_wheels(venv, builds):
    work, env = builds
    where = _run([venv / "bin" / "python", "-c", "import kg, kg.ontology; print(kg.__file__); "
                  "print(kg.ontology.ONTOLOGY_DIR)"], cwd=work, env=env).split()
    assert all(Path(p).is_relative_to(venv) for p in where), where


def test_the_wheel_builds_the_seeds_to_the_editable_installs_bytes(builds):
    work, _ = builds
    files = sorted(p.relative_to(work / "editable") for p in (work / "editable").rglob("*") if p.is_file())
    assert len(files) == 9
    assert sorted(p.relative_to(work / "wheel") for p in (work / "wheel").rglob("*") if p.is_file()) == files
    for name in files:
        assert (work / "wheel" / name).read_bytes() == (work / "editable" / name).read_bytes(), name


@pytest.mark.parametrize("args", [
    ["query", "wheel/graph.ttl", "-f", str(ROOT / "queries" / "missions_by_agency.rq"), "--format", "csv"],
    ["validate", "wheel/graph.ttl"],
    ["export", "wheel/graph.ttl", "--format", "gexf", "--out", "export-{kg}"],
    ["ontology", "init", "ontology-{kg}"],
])
def test_query_validate_export_and_init_from_the_wheel(venv, builds, args):
    """Each command gives what the editable install gives."""
    work, env = builds
    outputs = {}
    for name, kg in (("wheel", venv / "bin" / "kg"), ("editable", Path(sys.executable).parent / "kg")):
        outputs[name] = _run([kg, *(a.format(kg=name) for a in args)], cwd=work, env=env)
    assert outputs["wheel"] == outputs["editable"].replace("editable", "wheel")
    if args[0] == "export":
        assert (work / "export-wheel" / "graph.gexf").read_bytes() == (work / "wheel" / "graph.gexf").read_bytes()
    if args[0] == "ontology":
        copied = sorted(p.relative_to(work / "ontology-wheel") for p in (work / "ontology-wheel").rglob("*"))
        assert copied == sorted(p.relative_to(work / "ontology-editable") for p in (work / "ontology-editable").rglob("*"))
        assert (work / "ontology-wheel" / "kg.ttl").read_bytes() == (ROOT / "ontology" / "kg.ttl").read_bytes()
    if args[0] == "validate":
        assert outputs["wheel"].startswith("Conforms: yes")


def test_watch_from_the_wheel_writes_what_the_editable_build_wrote(venv, builds):
    """``kg watch`` of the wheel builds the seeds once on start, to the bytes of the editable
    install's ``kg build``, and stops on Ctrl-C (SIGINT) with exit 0."""
    import signal
    import time

    work, env = builds
    out = work / "watched"
    proc = subprocess.Popen([str(venv / "bin" / "kg"), "watch", str(work / "seeds"), "--out", str(out)],
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (out / "graph.html").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)  # the output folder is swapped in whole: once it exists it is complete
        assert proc.poll() is None, f"kg watch ended early: {proc.communicate()}"
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "built" in stdout, stdout
    for name in sorted(p.relative_to(work / "editable") for p in (work / "editable").rglob("*") if p.is_file()):
        assert (out / name).read_bytes() == (work / "editable" / name).read_bytes(), name
