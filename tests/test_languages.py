"""Languages as BCP 47 tags, named from CLDR (issue 13)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli import languages
from tests.conftest import LONG_PROFILE, directory_yaml, invoke, provider_yaml, write

ROOT = Path(__file__).resolve().parent.parent


def _build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_languages", ROOT / "scripts" / "build_languages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_tables_are_what_the_build_script_makes() -> None:
    build = _build_script()
    full, common = build.build()
    data = ROOT / "referral_cli" / "data"
    assert (data / "languages.json").read_text("utf-8") == build.text(full), (
        "run: python scripts/build_languages.py"
    )
    assert (data / "languages-common.json").read_text("utf-8") == build.text(common)


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("hmn", "hmn"),
        ("mix", "mix"),
        ("ase", "ase"),
        ("yue", "yue"),
        ("fil", "fil"),
        ("quc", "quc"),
        ("mam", "mam"),
        ("eng", "en"),  # ISO 639-2 of a 639-1 language
        ("SPA", "es"),
        ("ger", "de"),  # 639-2/B
        ("iw", "he"),  # deprecated
        ("tl", "fil"),  # CLDR's alias
        ("zh-yue", "yue"),  # extended language subtag
        ("sgn-US", "ase"),
        ("cmn", "zh"),  # Mandarin is what "zh" means
        ("zh-Hant", "zh-Hant"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ("es-MX", "es-MX"),
        ("es-mx", "es-MX"),
        ("es-419", "es-419"),
        ("en-Latn-US", "en-US"),  # English is always written in Latin
        ("sr-Latn", "sr-Latn"),
    ],
)
def test_tags_are_normalised_to_their_shortest_standard_form(written: str, tag: str) -> None:
    assert languages.normalize(written) == tag


@pytest.mark.parametrize(
    "written",
    ["xq", "mn-XX", "US-ZZ", "es-MX-MX", "en-Latn-Cyrl", "en-US-x-private", "", "e n", "hmnn"],
)
def test_what_is_not_a_tag_is_refused(written: str) -> None:
    assert languages.normalize(written) is None


def test_normalising_agrees_with_langcodes_for_every_registry_code() -> None:
    from langcodes import standardize_tag

    build = _build_script()
    for record in build.registry():
        if record["Type"][0] != "language" or ".." in record["Subtag"][0]:
            continue
        code = record["Subtag"][0]
        assert languages.normalize(code) == standardize_tag(code, macro=True), code


TABLE = languages._table()


@settings(max_examples=100, deadline=None)
@given(
    lang=st.sampled_from(sorted(languages.common())),
    script=st.none() | st.sampled_from(sorted(TABLE["scripts"])),
    region=st.none() | st.sampled_from(sorted(TABLE["regions"])),
)
def test_tags_with_script_and_region_agree_with_langcodes(
    lang: str, script: str | None, region: str | None
) -> None:
    from langcodes import standardize_tag

    tag = "-".join(p for p in (lang, script, region) if p)
    assert languages.normalize(tag) == standardize_tag(tag, macro=True)


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Hmong", "hmn"),
        ("Hmoob", "hmn"),  # its own name
        ("Mixteco", "mix"),
        ("mixtec", "mix"),
        ("Español", "es"),
        ("espanol", "es"),
        ("Kreyòl", "ht"),
        ("Haitian Creole", "ht"),
        ("sign language", "ase"),
        ("ASL", "ase"),
        ("Tiếng Việt", "vi"),
        ("한국어", "ko"),
        ("中文", "zh"),
        ("粵語", "yue"),
        ("Cantonese", "yue"),
        ("Tagalog", "fil"),
        ("K'iche'", "quc"),
        ("Kʼicheʼ", "quc"),
        ("Q'anjob'al", "kjb"),
        ("Farsi", "fa"),
        ("Русский", "ru"),
        ("العربية", "ar"),
        ("ਪੰਜਾਬੀ", "pa"),
    ],
)
def test_names_and_common_spellings_resolve(word: str, code: str) -> None:
    assert languages.lookup(word) == code


def test_a_provider_speaking_a_regional_form_speaks_the_language() -> None:
    assert languages.speaks(("es-MX",), "es")
    assert languages.speaks(("zh-Hant",), "zh")
    assert languages.speaks(("es",), "es-MX")
    assert not languages.speaks(("zh",), "yue")  # Mandarin is not Cantonese
    assert not languages.speaks(("hmn",), "mn")


def test_the_languages_hotlines_need_validate(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        directory_yaml(provider_yaml())
        + "    languages: [hmn, mix, ase, yue, fil, quc, mam, es-MX, zh-Hant]\n"
    )
    path = write(tmp_path / "d.yaml", text)
    result = invoke(runner, "validate", str(path), "-f", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["errors"] == 0
    assert not [d for d in doc["diagnostics"] if d["code"] in ("language", "style")]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Hmong", "'Hmong' is a language name; use its code 'hmn' (Hmong)"),
        ("Hmoob", "'Hmoob' is a language name; use its code 'hmn' (Hmong)"),
        ("Mixteco", "use its code 'mix'"),
        ("Español", "use its code 'es' (Spanish)"),
        ("Hmnog", "unknown language code 'Hmnog'; did you mean 'hmn' (Hmong)?"),
        ("US-ZZ", "unknown language code 'US-ZZ'"),
    ],
)
def test_validate_suggests_the_code_for_a_name(runner, tmp_path, written, message) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "d.yaml", directory_yaml(provider_yaml()) + f"    languages: [{written}]\n"
    )
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1 and message in result.stdout


def test_a_longer_form_is_accepted_with_a_warning_and_stored_short(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "d.yaml", directory_yaml(provider_yaml()) + "    languages: [eng, zh-hant, tl]\n"
    )
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 0
    assert "write language 'eng' as 'en' (English)" in result.stdout
    assert "write language 'zh-hant' as 'zh-Hant' (Chinese (Traditional))" in result.stdout
    shown = invoke(runner, "show", "a-shelter", "--data", str(path), "-f", "json")
    assert json.loads(shown.stdout)["languages"] == ["en", "zh-Hant", "fil"]


def _speakers(tmp_path: Path, hmong: bool = True) -> Path:
    rows = [
        provider_yaml(id="valley-counseling", name="Valley Counseling", services="counseling")
        + "    languages: [en, es]\n",
        provider_yaml(id="lao-counseling", name="Lao Counseling", services="counseling")
        + "    languages: [en, lo]\n",
    ]
    if hmong:
        rows.append(
            provider_yaml(
                id="hmong-counseling", name="Hmong Counseling", services="counseling", lat=36.80
            )
            + "    languages: [hmn, en]\n"
        )
    return write(tmp_path / "d.yaml", directory_yaml(*rows))


@pytest.mark.parametrize(
    "query", ["counselling in Hmong near Fresno", "therapist who speaks Hmoob near Fresno"]
)
def test_find_lists_only_hmong_speakers_and_says_so(runner, tmp_path, query) -> None:  # type: ignore[no-untyped-def]
    path = _speakers(tmp_path)
    result = invoke(runner, "find", query, "--data", str(path), "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["query"]["languages"] == ["hmn"]
    assert [r["id"] for r in doc["results"]] == ["hmong-counseling"]
    assert "speaks Hmong" in doc["results"][0]["reasons"]
    assert "listing only the matches that speak Hmong" in doc["notes"]


def test_find_says_when_nobody_speaks_the_language(runner: CliRunner, tmp_path: Path) -> None:
    path = _speakers(tmp_path, hmong=False)
    result = invoke(
        runner, "find", "counselling in Hmong near Fresno", "--data", str(path), "-f", "json"
    )
    doc = json.loads(result.stdout)
    assert len(doc["results"]) == 2
    assert "no match speaks Hmong; showing results in other languages" in doc["notes"]


@pytest.mark.parametrize("flag", ["hmn", "Hmong", "hmoob", "HMN"])
def test_the_language_flag_takes_codes_and_names(runner, tmp_path, flag) -> None:  # type: ignore[no-untyped-def]
    path = _speakers(tmp_path)
    result = invoke(
        runner, "find", "counseling", "--language", flag, "--data", str(path), "-f", "json"
    )
    assert [r["id"] for r in json.loads(result.stdout)["results"]] == ["hmong-counseling"]


def test_an_unknown_language_flag_is_a_usage_error_with_a_suggestion(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _speakers(tmp_path)
    result = invoke(runner, "find", "counseling", "--language", "Vietnamise", "--data", str(path))
    assert result.exit_code == 2
    assert "did you mean 'vi' (Vietnamese)?" in result.stderr


def test_a_plain_find_never_reads_the_full_table(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Free text and common codes use the small table only (the full one costs
    milliseconds to read); the directory is parsed and validated afresh."""
    monkeypatch.setenv("REFERRAL_NO_CACHE", "1")
    path = write(
        tmp_path / "d.yaml",
        directory_yaml(provider_yaml(services="legal-aid")) + "    languages: [en, es, hmn, vi]\n",
    )
    languages._table.cache_clear()
    query = "lawyer who speaks Spanish near Fresno"
    result = invoke(runner, "find", query, "--data", str(path), "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["results"]
    assert languages._table.cache_info().currsize == 0


def test_asl_is_never_taken_for_asilulu(runner: CliRunner, tmp_path: Path) -> None:
    """'asl' is the ISO 639-3 code of Asilulu, and what US hotlines write for ASL."""
    path = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()) + "    languages: [ASL]\n")
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    assert (
        "'ASL' is ambiguous: the code of Asilulu, and a name of American Sign Language"
        in result.stdout
    )
    assert languages.lookup("asl") == "ase"


def test_names_of_older_forms_are_their_languages_names() -> None:
    """Slip label languages are keyed 'tl'; a name is never a bare code."""
    assert languages.name("tl") == "Filipino"
    assert languages.name("iw") == "Hebrew"
    assert languages.name("zh-Hant") == "Chinese (Traditional)"


@settings(max_examples=300 if LONG_PROFILE else 60, deadline=None)
@given(
    st.text(max_size=20)
    | st.from_regex(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,4}){0,3}", fullmatch=True)
)
def test_normalising_any_text_is_a_tag_or_nothing_and_idempotent(text: str) -> None:
    tag = languages.normalize(text)
    if tag is not None:
        assert languages.normalize(tag) == tag
        assert languages.name(tag)  # every accepted tag has a name
        assert languages.speaks((tag,), tag)
