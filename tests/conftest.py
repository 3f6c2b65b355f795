"""Session-wide fixtures and the real-client policy.

A test that needs a real client (Chromium, FalkorDB, node, rapper) calls
:func:`require_client`: in CI (``CI=true``) a missing client fails the test,
on a laptop it skips with the command that installs it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_client(available: bool, name: str, install: str) -> None:
    """Fail (CI) or skip (laptop) when a real client is missing."""
    if available:
        return
    msg = f"{name} is not installed; install it with: {install}"
    if IN_CI:
        pytest.fail(msg + " (CI=true: real-client tests must not skip)")
    pytest.skip(msg)


def require_executable(exe: str, install: str) -> str:
    path = shutil.which(exe)
    require_client(path is not None, exe, install)
    return path  # type: ignore[return-value]
