"""The safe loader: marks, duplicate keys, tags, aliases, limits, encodings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.reading import yamldoc
from referral_cli.reading.yamldoc import YamlError


def load(text: str):  # type: ignore[no-untyped-def]
    return yamldoc.load(text, "f.yaml")


def test_marks_of_keys_values_and_items() -> None:
    doc = load("providers:\n  - id: x\n    services: [a, b]\n")
    p = doc["providers"][0]
    assert doc["providers"].itemmarks[0] == (2, 5)
    assert p.keymarks["services"] == (3, 5)
    assert p.valmarks["services"] == (3, 15)
    assert p["services"].itemmarks == [(3, 16), (3, 19)]


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    with pytest.raises(YamlError) as exc:
        load("a: 1\nb: 2\na: 3\n")
    d = exc.value.diagnostic
    assert (d.line, d.col) == (3, 1)
    assert "duplicate key 'a' (first at line 1)" in d.message


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo hi']\n",
        "x: !!python/name:os.system\n",
        "x: !custom 1\n",
    ],
)
def test_tags_never_construct_objects(text: str) -> None:
    with pytest.raises(YamlError) as exc:
        load(text)
    assert "not allowed" in exc.value.diagnostic.message or "YAML" in exc.value.diagnostic.message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    prev = "a"
    for i in range(8):
        name = f"l{i}"
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    with pytest.raises(YamlError) as exc:
        load(bomb)
    assert "alias" in exc.value.diagnostic.message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlError) as exc:
        load("x: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nesting" in exc.value.diagnostic.message


def test_oversized_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamldoc, "MAX_BYTES", 100)
    with pytest.raises(YamlError) as exc:
        yamldoc.decode(b"x" * 200, "big.yaml")
    assert "limit" in exc.value.diagnostic.message


def test_non_utf8_names_line_and_column() -> None:
    with pytest.raises(YamlError) as exc:
        yamldoc.decode(b"a: 1\nb: caf\xe9\n", "latin.yaml")
    d = exc.value.diagnostic
    assert (d.path, d.line, d.col) == ("latin.yaml", 2, 7)
    assert "UTF-8" in d.message


def test_syntax_error_has_position() -> None:
    with pytest.raises(YamlError) as exc:
        load("a: [1, 2\nb: 3\n")
    assert exc.value.diagnostic.message.startswith("YAML syntax")
    assert exc.value.diagnostic.line >= 2


def test_merge_keys_are_refused() -> None:
    with pytest.raises(YamlError):
        load("base: &b {x: 1}\nother:\n  <<: *b\n")


def test_dates_and_scalars() -> None:
    doc = load("d: 2026-01-02\nn: 3\nf: 1.5\nb: true\nz: null\ns: '007'\n")
    assert str(doc["d"]) == "2026-01-02"
    assert (doc["n"], doc["f"], doc["b"], doc["z"], doc["s"]) == (3, 1.5, True, None, "007")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_fails_with_a_diagnostic(text: str) -> None:
    try:
        load(text)
    except YamlError as exc:
        assert exc.diagnostic.path == "f.yaml"
        assert exc.diagnostic.line >= 1
        assert "\n" not in exc.diagnostic.message
