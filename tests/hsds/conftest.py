"""Fixtures of the HSDS tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from referral_cli.hsds.importer import import_hsds

from .helpers import OHANA


@pytest.fixture(scope="module")
def ohana(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("ohana") / "ohana.yaml"
    report = out.with_suffix(".json")
    data, result = import_hsds(OHANA)
    out.write_bytes(data)
    report.write_text(json.dumps(result.as_dict()), "utf-8")
    return out, result.as_dict()
