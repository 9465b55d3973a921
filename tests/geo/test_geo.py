"""The offline gazetteer: exact resolutions, parsers, misspellings, `referral locate`,
the shipped sample's towns, and opt-in online geocoding (geopy mocked, no network)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_PROFILE, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.geo import gazetteer
from referral_cli.geo.coordinates import parse_coordinates
from referral_cli.geo.distance import distance_km
from referral_cli.geo.online import geocode_online
from referral_cli.geo.place import Place, UnknownPlace
from referral_cli.geo.resolving import corrected, names_a_region, resolve, resolve_exact

FRESNO = (36.7378, -119.7871)


def near(place: Place, lat: float, lon: float, km: float) -> bool:
    return distance_km(place.lat, place.lon, lat, lon) <= km


# ------------------------------------------------------------------ towns


def test_fresno_is_fresno_california_and_the_note_names_texas() -> None:
    res = resolve("Fresno", prefer_countries=("US", "MX"))
    assert res.place.label == "Fresno, CA, US"
    assert (res.place.kind, res.place.region, res.place.county) == (
        "city",
        "US-CA",
        "Fresno County",
    )
    assert res.place.country == "US" and res.place.city == "Fresno"
    assert res.place.population and res.place.population > 400_000
    assert near(res.place, *FRESNO, 5)
    assert res.notes[0].startswith("'Fresno' taken as Fresno, CA, US; also: Fresno, TX, US")
    assert "Fresno, TX, US" in [a.label for a in res.alternatives]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("fresno", "Fresno, CA, US"),
        ("FRESNO", "Fresno, CA, US"),
        ("  Fresno  ", "Fresno, CA, US"),
        ("Fresno, CA", "Fresno, CA, US"),
        ("Fresno, California", "Fresno, CA, US"),
        ("Fresno, CA, US", "Fresno, CA, US"),
        ("Fresno, TX", "Fresno, TX, US"),
        ("Fresno Texas", "Fresno, TX, US"),
        ("Fresno TX", "Fresno, TX, US"),
        ("Ciudad Juárez", "Ciudad Juárez, CHH, MX"),
        ("Ciudad Juarez", "Ciudad Juárez, CHH, MX"),
        ("ciudad juarez, chihuahua", "Ciudad Juárez, CHH, MX"),
        ("St. Louis", "St. Louis, MO, US"),
        ("Saint Louis", "St. Louis, MO, US"),
        ("St Louis, Missouri", "St. Louis, MO, US"),
        ("Tijuana, BC", "Tijuana, BCN, MX"),
        ("Monterrey, NL", "Monterrey, NLE, MX"),
        ("Ciudad de México", "Mexico City, CMX, MX"),
        ("Mexico City", "Mexico City, CMX, MX"),
        ("Paris, France", "Paris, IDF, FR"),
        ("Springfield, IL", "Springfield, IL, US"),
        ("Visalia", "Visalia, CA, US"),
        ("Houston", "Houston, TX, US"),
        ("Immokalee", "Immokalee, FL, US"),
        ("McAllen", "McAllen, TX, US"),
    ],
)
def test_towns(text: str, label: str) -> None:
    res = resolve(text, prefer_countries=("US", "MX"))
    assert res.place.label == label
    assert res.place.kind == "city"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Cbus", "Columbus, OH, US"),
        ("CBUS, Ohio", "Columbus, OH, US"),
        ("NYC", "New York City, NY, US"),
        ("ATL", "Atlanta, GA, US"),
        ("T.O.", "Toronto, ON, CA"),
        ("CDMX", "Mexico City, CMX, MX"),
        ("TJ", "Tijuana, BCN, MX"),
    ],
)
def test_a_city_by_its_nickname(text: str, label: str) -> None:
    assert resolve(text, prefer_countries=("US", "CA", "MX")).place.label == label


def test_every_city_alias_is_another_name_of_its_city() -> None:
    """Each alias whose place is a city is found by the gazetteer as that city (in its
    region and country), so the parser weighs it like any place name."""
    checked = 0
    for alias, place in gazetteer.aliases().items():
        target = resolve(place).place
        if target.kind != "city":
            continue  # a county or a district: resolving takes it, with a note
        named = [p for p, _ in gazetteer.lookup(alias)]
        assert any(p.label == target.label for p in named), (alias, place)
        checked += 1
    assert checked >= 30


def test_qualified_names_need_no_note() -> None:
    assert resolve("Fresno, CA").notes == []
    assert resolve("Fresno, TX").alternatives == []


def test_preferred_countries_decide_between_namesakes() -> None:
    assert resolve("Paris").place.label == "Paris, IDF, FR"
    texas = resolve("Paris", prefer_countries=("US",))
    assert texas.place.label == "Paris, TX, US"
    assert "Paris, IDF, FR" in texas.notes[0]
    assert resolve("Nogales", prefer_countries=("US",)).place.label == "Nogales, AZ, US"
    assert resolve("Nogales", prefer_countries=("MX",)).place.label == "Nogales, SON, MX"
    assert resolve("Guadalupe", prefer_countries=("US",)).place.country == "US"
    assert resolve("Guadalupe", prefer_countries=("MX",)).place.country == "MX"


def test_regions_and_countries() -> None:
    ca = resolve("California")
    assert (ca.place.kind, ca.place.region, ca.place.label) == ("region", "US-CA", "California, US")
    assert any("population centre" in n for n in ca.notes)
    assert distance_km(ca.place.lat, ca.place.lon, *FRESNO) < 300
    assert resolve("Chihuahua, MX").place.region == "MX-CHH"
    mexico = resolve("Mexico", prefer_countries=("US", "MX"))
    assert (mexico.place.kind, mexico.place.country) == ("country", "MX")


# ------------------------------------------------------- ZIP codes, counties


@pytest.mark.parametrize("text", ["93721", "93721-1234", "Fresno, CA 93721"])
def test_zip_code(text: str) -> None:
    place = resolve(text).place
    assert place.kind == "zip"
    assert place.label == "Fresno, CA 93721, US"
    assert (place.region, place.county, place.city) == ("US-CA", "Fresno County", "Fresno")
    assert near(place, *FRESNO, 5)


def test_unknown_zip_code() -> None:
    with pytest.raises(UnknownPlace, match="unknown ZIP code '00000'"):
        resolve("00000")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Fresno County", "Fresno County, CA, US"),
        ("fresno county", "Fresno County, CA, US"),
        ("Tulare County, CA", "Tulare County, CA, US"),
        ("Tulare County, California", "Tulare County, CA, US"),
        ("Harris County, TX", "Harris County, TX, US"),
        ("Miami-Dade County", "Miami-Dade County, FL, US"),
    ],
)
def test_county(text: str, label: str) -> None:
    place = resolve(text, prefer_countries=("US",)).place
    assert (place.label, place.kind, place.country) == (label, "county", "US")
    assert place.county == label.split(",")[0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Kern", "Kern County, CA, US"),
        ("kern, ca", "Kern County, CA, US"),
        ("Kern California", "Kern County, CA, US"),
        ("Plaquemines", "Plaquemines Parish, LA, US"),
    ],
)
def test_a_county_named_without_county_when_no_town_has_the_name(text: str, label: str) -> None:
    """Volunteers say "in Kern" for Kern County; where a town has the name, the town
    wins ("Fresno" is the city) and a misspelt town is still corrected."""
    res = resolve(text, prefer_countries=("US",))
    assert (res.place.label, res.place.kind) == (label, "county")
    assert res.notes[0].startswith(f"no town is named '{text.split(',')[0].split(' ')[0]}'")
    assert resolve("Fresno", prefer_countries=("US",)).place.kind == "city"
    assert resolve("Keren").place.label == "Keren, ER"


def test_names_a_region() -> None:
    for text in ("Kern, TX", "Visalia, FL", "Visalia Florida", "Fresno, CA, US"):
        assert names_a_region(text), text
    for text in ("Kern", "Fresno blorptastic", "Kern County", ""):
        assert not names_a_region(text), text


def test_find_in_a_county_named_without_county(runner: CliRunner) -> None:
    result = invoke(runner, "find", "legal aid in kern", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "taken as Kern County, CA, US" in result.stderr
    assert json.loads(result.stdout)["results"][0]["id"] == "kern-farmworker-legal"


def test_county_point_is_inside_the_county() -> None:
    assert near(resolve("Fresno County").place, *FRESNO, 40)
    assert near(resolve("Tulare County, CA").place, 36.22, -118.8, 60)
    orange = resolve("Orange County")
    assert orange.place.region == "US-CA"  # the most populous of the Orange Counties
    assert any("Orange County, FL, US" in n for n in orange.notes)


# ------------------------------------------------------------- coordinates


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("36.74,-119.79", 36.74, -119.79),
        ("36.74, -119.79", 36.74, -119.79),
        ("36.74 -119.79", 36.74, -119.79),
        ("(36.74, -119.79)", 36.74, -119.79),
        ("-33.8688,151.2093", -33.8688, 151.2093),
        ("36°44'N 119°47'W", 36 + 44 / 60, -(119 + 47 / 60)),
        ("36°44′N, 119°47′W", 36 + 44 / 60, -(119 + 47 / 60)),
        ("36°44'30\"N 119°47'15\"W", 36 + 44 / 60 + 30 / 3600, -(119 + 47 / 60 + 15 / 3600)),
        ("36 44 N 119 47 W", 36 + 44 / 60, -(119 + 47 / 60)),
        ("36.74N 119.79W", 36.74, -119.79),
        ("N 36 44, W 119 47", 36 + 44 / 60, -(119 + 47 / 60)),
        ("119°47'W 36°44'N", 36 + 44 / 60, -(119 + 47 / 60)),
        ("33°52'S 151°12'E", -(33 + 52 / 60), 151.2),
    ],
)
def test_coordinates(text: str, lat: float, lon: float) -> None:
    place = resolve(text).place
    assert place.kind == "coordinates"
    assert place.lat == pytest.approx(lat, abs=1e-9)
    assert place.lon == pytest.approx(lon, abs=1e-9)


def test_coordinates_get_the_country_and_region_of_the_nearest_town() -> None:
    res = resolve("36.74,-119.79")
    assert (res.place.country, res.place.region) == ("US", "US-CA")
    assert res.notes == ["36.74000, -119.79000 is 2 km from Fresno, CA, US"]
    assert resolve("32.53,-117.02").place.region == "MX-BCN"  # Tijuana
    assert resolve("-16.5,179.95").place.country == "FJ"  # across the antimeridian
    ocean = resolve("0,-30")
    assert (ocean.place.country, ocean.place.region, ocean.notes) == (None, None, [])


@pytest.mark.parametrize("text", ["95,-119", "36.74,-190", "91°N 10°E", "36°44'N 181°W"])
def test_out_of_range_coordinates(text: str) -> None:
    with pytest.raises(UnknownPlace) as err:
        resolve(text)
    message = str(err.value)
    assert "out of range" in message and "-90 to 90" in message and "\n" not in message


@pytest.mark.parametrize("text", ["36°70'N 119°47'W", "36 44 N", "N S 1 2", "12°N 13°N"])
def test_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


LAT = st.floats(-90, 90, allow_nan=False)
LON = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=100 if LONG_PROFILE else 30)
@given(LAT, LON, st.sampled_from(["{},{}", "{}, {}", "{} {}", "({}, {})", "{};{}"]))
def test_decimal_round_trip(lat: float, lon: float, template: str) -> None:
    text = template.format(f"{lat:.6f}", f"{lon:.6f}")
    got = parse_coordinates(text)
    assert got is not None
    assert got[0] == pytest.approx(lat, abs=1e-6) and got[1] == pytest.approx(lon, abs=1e-6)


def _dms(value: float, positive: str, negative: str, style: int) -> str:
    letter = positive if value >= 0 else negative
    total = round(abs(value) * 3600)
    d, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return [
        f"{d}°{m}'{s}\"{letter}",
        f"{d}° {m}′ {s}″ {letter}",
        f"{d} {m} {s} {letter}",
        f"{letter} {d} {m} {s}",
        f"{d}°{m + s / 60:.4f}'{letter}",
    ][style]


@given(LAT, LON, st.integers(0, 4), st.sampled_from([" ", ", ", ","]), st.booleans())
def test_dms_round_trip(lat: float, lon: float, style: int, sep: str, lon_first: bool) -> None:
    a, b = _dms(lat, "N", "S", style), _dms(lon, "E", "W", style)
    text = f"{b}{sep}{a}" if lon_first else f"{a}{sep}{b}"
    got = parse_coordinates(text)
    assert got is not None, text
    assert got[0] == pytest.approx(lat, abs=1 / 3600 + 1e-9), text
    assert got[1] == pytest.approx(lon, abs=1 / 3600 + 1e-9), text


@settings(max_examples=150 if LONG_PROFILE else 50, deadline=None)
@given(st.text(max_size=40) | st.from_regex(r"[0-9 .,°'\"NSEW+-]{0,25}", fullmatch=True))
def test_any_text_resolves_or_raises_unknown_place(text: str) -> None:
    try:
        res = resolve(text, prefer_countries=("US", "MX"))
    except UnknownPlace as exc:
        assert "\n" not in str(exc)
    else:
        assert -90 <= res.place.lat <= 90 and -180 <= res.place.lon <= 180


# ------------------------------------------------- misspelt and unknown places


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Fresnoo", "Fresno, CA, US"),
        ("Sacremento", "Sacramento, CA, US"),
        ("Bakersfeld", "Bakersfield, CA, US"),
        ("Visallia", "Visalia, CA, US"),
        ("Tijuanna", "Tijuana, BCN, MX"),
        ("Fresnoo, CA", "Fresno, CA, US"),
    ],
)
def test_misspelt_place_is_read_with_a_note(text: str, label: str) -> None:
    res = resolve(text, prefer_countries=("US", "MX"))
    assert res.place.label == label
    assert res.notes[0] == f"'{text}' read as {label}"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tornto", "Toronto, ON, CA"),  # one slip from Toronto, two from Thornton, CO
        ("Hustn", "Houston, TX, US"),  # vowels left out
        ("Clmbus", "Columbus, OH, US"),
        ("Chcago", "Chicago, IL, US"),
        ("Philadelpia", "Philadelphia, PA, US"),
        ("Vancover", "Vancouver, BC, CA"),
    ],
)
def test_a_big_town_typed_in_a_hurry_is_read_in_the_directory_countries(
    text: str, label: str
) -> None:
    """A name missing a letter or two, or a slip that is as close to a smaller town:
    the town of the directory's countries the fewest slips away, the far larger when
    equally close; the same reading for a word among others (find's bare place)."""
    assert resolve(text, prefer_countries=("US", "CA")).place.label == label
    read = corrected(text, ("US", "CA"))
    assert read is not None and read.place.label == label
    assert corrected(text, ("MX",)) is None  # only in the directory's countries


_BIG_TOWNS = ["Houston", "Toronto", "Columbus", "Seattle", "Chicago", "Phoenix", "Fresno"]


@settings(max_examples=60 if LONG_PROFILE else 20, deadline=None)
@given(st.sampled_from(_BIG_TOWNS), st.data())
def test_a_big_town_with_one_letter_left_out_is_that_town(town: str, data: st.DataObject) -> None:
    """Leaving out any one letter but the first of a big town's name never reads as
    another place, unless what is left is a place's own name ("Settle", England)."""
    i = data.draw(st.integers(1, len(town) - 1))
    typed = town[:i] + town[i + 1 :]
    if resolve_exact(typed, ("US", "CA")) is not None:
        return
    res = resolve(typed, prefer_countries=("US", "CA"))
    assert res.place.label.split(",")[0] == town, (typed, res.place.label)


def test_unknown_place_is_one_line_with_what_to_do() -> None:
    with pytest.raises(UnknownPlace) as err:
        resolve("Qwxyzzyville")
    message = str(err.value)
    assert "'Qwxyzzyville'" in message and "ZIP code" in message and "\n" not in message


def test_unclear_misspelling_is_refused_with_a_suggestion() -> None:
    with pytest.raises(UnknownPlace, match=r"did you mean Los Angeles, CA, US"):
        resolve("Los Angeles area")
    with pytest.raises(UnknownPlace, match=r"no place named 'Fresno' in AZ; did you mean Fresno"):
        resolve("Fresno, AZ")


def test_a_place_followed_by_other_words_is_not_a_place() -> None:
    """find tries "Fresno blorptastic", then "Fresno": the longer one must miss."""
    for text in ("Fresno blorptastic", "Fresno zzcallerword", "Visalia tonight please"):
        with pytest.raises(UnknownPlace):
            resolve(text)


@pytest.mark.parametrize("text", ["", "   ", ",", "x" * 500, "\x00", "😀"])
def test_junk(text: str) -> None:
    with pytest.raises(UnknownPlace):
        resolve(text)


# ------------------------------------------------------- the shipped sample


def test_every_sample_town_resolves_near_its_providers() -> None:
    from referral_cli.directory import load, sample_path

    directory = load(sample_path())
    checked = 0
    for p in directory.providers:
        a = p.address
        if a is None or not a.city or p.lat is None or p.lon is None:
            continue
        for text in (a.city, f"{a.city}, {a.region}", f"{a.city}, {a.region}, {a.country}"):
            place = resolve(text, prefer_countries=directory.countries).place
            km = distance_km(place.lat, place.lon, p.lat, p.lon)
            assert km <= 30, (p.id, text, place.label, round(km))
            assert place.country == a.country, (p.id, text, place.label)
        if a.county:
            county = resolve(f"{a.county}, {a.region}").place
            assert county.kind == "county" and county.county == a.county, (p.id, county)
        if a.postal_code and a.country == "US":
            assert near(resolve(a.postal_code).place, p.lat, p.lon, 30), (p.id, a.postal_code)
        checked += 1
    assert checked >= 50


# ------------------------------------------------------------ referral locate


def test_locate_text(runner: CliRunner) -> None:
    result = invoke(runner, "locate", "Fresno")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Fresno, CA, US  (36.7") and first.endswith("[city]")
    assert "county: Fresno County, region: US-CA, country: US" in result.stdout
    assert "also: Fresno, TX, US" in result.stdout


def test_locate_json(runner: CliRunner) -> None:
    result = invoke(runner, "locate", "Tulare County, CA", "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["input"] == "Tulare County, CA"
    assert payload["place"]["label"] == "Tulare County, CA, US"
    assert payload["place"]["kind"] == "county"
    assert payload["alternatives"] == [] and payload["notes"] == []
    zip_code = json.loads(invoke(runner, "locate", "93721", "-f", "json").stdout)
    assert zip_code["place"]["kind"] == "zip" and zip_code["place"]["city"] == "Fresno"
    fresno = json.loads(invoke(runner, "locate", "Fresno", "-f", "json").stdout)
    assert "Fresno, TX, US" in [a["label"] for a in fresno["alternatives"]]


def test_locate_misspelt_and_unknown(runner: CliRunner) -> None:
    result = invoke(runner, "locate", "Sacremento")
    assert result.exit_code == 0
    assert "note: 'Sacremento' read as Sacramento, CA, US" in result.stdout
    result = invoke(runner, "locate", "Qwxyzzyville")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "Qwxyzzyville" in errors[0]
    result = invoke(runner, "locate", "95,-200")
    assert result.exit_code == 1 and "out of range" in result.stderr


def test_locate_coordinates(runner: CliRunner) -> None:
    result = invoke(runner, "locate", "36°44'N 119°47'W", "-f", "json")
    place = json.loads(result.stdout)["place"]
    assert place["kind"] == "coordinates"
    assert place["lat"] == pytest.approx(36.7333, abs=1e-3)


# ------------------------------------------------------- online (mocked)


class FakeNominatim:
    calls: list[str] = []
    agents: list[str] = []
    fail: Exception | None = None

    def __init__(self, user_agent: str, timeout: float) -> None:
        assert timeout > 0
        FakeNominatim.agents.append(user_agent)

    def geocode(self, query: str, exactly_one: bool = True) -> Any:
        FakeNominatim.calls.append(query)
        if FakeNominatim.fail is not None:
            raise FakeNominatim.fail
        if query == "Nowhere At All":
            return None
        return types.SimpleNamespace(latitude=12.5, longitude=-70.25)


class FakeGeopyError(Exception):
    pass


@pytest.fixture
def fake_geopy(monkeypatch: pytest.MonkeyPatch) -> type[FakeNominatim]:
    package = types.ModuleType("geopy")
    package.__path__ = []  # type: ignore[attr-defined]
    geocoders = types.ModuleType("geopy.geocoders")
    geocoders.Nominatim = FakeNominatim  # type: ignore[attr-defined]
    exc = types.ModuleType("geopy.exc")
    exc.GeopyError = FakeGeopyError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "geopy", package)
    monkeypatch.setitem(sys.modules, "geopy.geocoders", geocoders)
    monkeypatch.setitem(sys.modules, "geopy.exc", exc)
    FakeNominatim.calls, FakeNominatim.agents, FakeNominatim.fail = [], [], None
    geocode_online.cache_clear()
    monkeypatch.setattr("time.sleep", lambda s: None)
    return FakeNominatim


def test_online_geocoding_never_writes_the_typed_place(fake_geopy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A caller's address typed for --online is remembered in memory only (and the
    file where older versions cached it is deleted)."""
    from referral_cli import __version__
    from referral_cli.config import cache_dir

    old = cache_dir() / "places-online.json"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text('{"places": {"12 old caller lane": [1, 2]}}', "utf-8")
    place = geocode_online("4 Hidden Caller Road")
    assert (place.lat, place.lon, place.kind) == (12.5, -70.25, "online")
    assert fake_geopy.agents == [
        f"referral-cli/{__version__} (+https://pypi.org/project/referral-cli/)"
    ]
    again = geocode_online("4 Hidden Caller Road")
    assert again.lat == 12.5 and fake_geopy.calls == ["4 Hidden Caller Road"]
    assert not old.exists()
    for folder in (cache_dir(), tmp_path):
        for found in folder.rglob("*"):
            if found.is_file():
                assert b"caller" not in found.read_bytes().lower(), found


def test_online_failures_are_one_line(fake_geopy) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownPlace, match="online too"):
        geocode_online("Nowhere At All")
    fake_geopy.fail = FakeGeopyError("timed out\nsecond line")
    with pytest.raises(UnknownPlace) as err:
        geocode_online("Elsewhere")
    assert "failed (FakeGeopyError)" in str(err.value) and "\n" not in str(err.value)


def test_online_waits_a_second_between_requests(fake_geopy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    geocode_online("First Place")
    geocode_online("Second Place")
    assert waits and 0 < waits[-1] <= 1.0


def test_locate_online_only_when_asked(runner, fake_geopy) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "locate", "Qwxyzzyville")
    assert result.exit_code == 1 and fake_geopy.calls == []
    result = invoke(runner, "locate", "Qwxyzzyville", "--online", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["place"]["lat"] == 12.5
    assert "leaves this machine" in result.stderr
    assert fake_geopy.calls == ["Qwxyzzyville"]


@pytest.mark.parametrize(
    ("text", "prefer", "label"),
    [
        ("New York", (), "New York City, NY, US"),  # the city, not the state
        ("Victoria", ("US", "MX"), "Victoria, TX, US"),  # not Ciudad Victoria (other name)
        ("Victoria", (), "Victoria, HK"),  # not Hong Kong, of which it is an old name
        ("Washington", (), "Washington, DC, US"),
        ("California", (), "California, US"),  # no town of that size: the state
    ],
)
def test_towns_beat_regions_and_other_names(text: str, prefer: tuple[str, ...], label: str) -> None:
    assert resolve(text, prefer).place.label == label


def test_locate_prefers_the_directory_countries(runner: CliRunner, tmp_path: Path) -> None:
    mx = tmp_path / "mx.yaml"
    mx.write_text(
        "providers:\n  - id: a\n    name: A\n    services: [hotline]\n"
        '    phone: "+52 55 5555 0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Guanajuato, region: GUA, country: MX}\n",
        "utf-8",
    )
    result = invoke(runner, "locate", "Leon", "--data", str(mx))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("León de los Aldama, GUA, MX")
