"""referral_cli.hsds.eligibility_text: who a service is for, from its own words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referral_cli.hsds.eligibility_text import Reading, combine, read_terms, read_text
from referral_cli.taxonomy import load

TAX = load()


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Age 55 or over", (55, None)),
        ("ages 12-17", (12, 17)),
        ("Youth aged 12 to 17 years", (12, 17)),
        ("under 18", (None, 17)),
        ("18 and older", (18, None)),
        ("eighteen and older", (18, None)),
        ("children 5 years and under", (None, 5)),
        ("youth", (None, 24)),
        ("Seniors", (55, None)),
        ("Age 55 or over for most programs, age 60 or over for lunch program", (55, None)),
        ("All girls, 5-17 years old. Adult members over 18 years old.", (5, None)),
        ("Children 6 months to 5 years", (None, 5)),
        ("must be 21 or older", (21, None)),
        ("Youth under 21", (None, 20)),
        ("from birth through 18 years old", (None, 18)),
    ],
)
def test_ages(text: str, ages: tuple[int | None, int | None]) -> None:
    found = read_text(text, TAX)
    if found.ages is None:
        found = read_terms([text], TAX)
    assert found.ages == ages
    assert not found.unread


@pytest.mark.parametrize(
    "text",
    [
        "None",
        "Low-income families with children",
        "Resident of California",
        "below 32 degrees Fahrenheit",
        "72 hours drug-free",
        "Income below 200% of the poverty level",
        "Serving the community for over 30 years",
        "Stay up to 90 days",
        "100+ beds for homeless people",
        "Clients must be 6 months sober",
        "under $500 in savings",
    ],
)
def test_numbers_that_are_not_ages(text: str) -> None:
    assert read_text(text, TAX, prose=True).ages is None


@pytest.mark.parametrize(
    ("text", "genders", "ages"),
    [
        ("Men ages 18 and over", ("male",), (18, None)),
        ("Youth must be male and be between 17 and 21", ("male",), (17, 21)),
        ("Women ages 18-64", ("female",), (18, 64)),
        ("Single men, single women and families", (), None),
        ("Boys & Girls club for kids 6-18", (), (6, 18)),
        ("Victims must not have contributed to his or her own injuries", None, None),
        ("Services for male abusers are elsewhere", None, None),
        ("Pregnant women", ("female",), None),
    ],
)
def test_gender_is_read_with_the_age(
    text: str, genders: tuple[str, ...] | None, ages: tuple[int | None, int | None] | None
) -> None:
    found = read_text(text, TAX)
    assert (found.genders, found.ages) == (genders, ages)


def test_families_and_dependents() -> None:
    assert read_text("Women and their children", TAX).families is True
    assert read_text("Women and their children", TAX).genders == ("female",)
    assert read_text("No dependents. Single adults 18+", TAX).families is False
    assert read_text("Families with children", TAX).families is True


def test_trafficking_type() -> None:
    text = "Adult females (18 years old +) who are victims of commercial sexual exploitation"
    found = read_text(text, TAX)
    assert (found.trafficking, found.genders, found.ages) == (("sex",), ("female",), (18, None))
    # both kinds: survivors of either (a focus for a survivor, no limit between them)
    assert read_text("sex trafficking and labor trafficking", TAX).trafficking == ("labor", "sex")


def test_a_limit_not_understood_is_unread() -> None:
    assert read_text("applicants 62 years of age", TAX).unread == ["ages"]
    assert read_text("Gender-specific programme", TAX).unread == ["genders"]
    assert read_text("An age requirement applies", TAX).unread == ["ages"]


def test_terms() -> None:
    # a service's target populations: genders and families only
    found = read_terms(["Women", "Families With Children"], TAX, ages=False)
    assert (found.ages, found.genders, found.families) == (None, ("female",), True)
    assert read_terms(["Women", "Men"], TAX, ages=False).genders == ()
    assert read_terms(["Food Pantries"], TAX) == Reading()
    # eligibility terms: each a whole group served, widening each other
    assert (read_terms(["Teens"], TAX).ages, read_terms(["Teens"], TAX).genders) == ((13, 19), ())
    girls = read_terms(["Women/Girls"], TAX)
    assert (girls.ages, girls.genders) == (None, ("female",))
    assert read_terms(["Teens", "Women/Girls"], TAX).genders == ()


def test_combine_is_or() -> None:
    both = combine([Reading(ages=(18, None)), Reading(ages=(12, 17), unread=["genders"])])
    assert both.ages == (12, None)
    assert both.unread == ["genders"]


@given(st.text(max_size=200))
def test_any_text_reads_to_a_sane_reading(text: str) -> None:
    found = read_text(text, TAX, prose=True)
    if found.ages is not None:
        lo, hi = found.ages
        assert lo is None or 0 < lo <= 120
        assert hi is None or 0 <= hi <= 120
        assert lo is None or hi is None or lo <= hi
    assert found.genders is None or set(found.genders) <= {"female", "male"}


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # a maximum said with "must be": never read as a minimum
        ("Must be 18 years old or younger.", (None, 18)),
        ("Clients must be 21 years of age or younger", (None, 21)),
        ("must be 17 or under", (None, 17)),
        # "up to" with the unit and no "age"
        ("Adolescents up to 21 years old", (None, 21)),
        ("School age children up to 18 years old", (None, 18)),
        ("youth up to 24 yrs", (None, 24)),
        ("infants 6 weeks old to 5 years", (None, 5)),
        ("Kids 8-14 years old and older", (8, None)),
        ("clients beginning at 5 years old", (5, None)),
        # the age said again is no other limit
        ("Must be 3 years or older (a 3 year old must be toilet trained)", (3, None)),
        ("Children 2-6 years old; 4 year olds may join the pre-K class", (2, 6)),
    ],
)
def test_ages_said_in_more_ways(text: str, ages: tuple[int | None, int | None]) -> None:
    found = read_text(text, TAX)
    assert found.ages == ages, found.said
    assert "ages" not in found.unread


@pytest.mark.parametrize(
    "text",
    [
        "Pediatric through adult patients",
        "Child, teen and adult survivors of sexual assault",
        "Serves infants, children and adults",
    ],
)
def test_adults_beside_children_set_no_lower_age(text: str) -> None:
    found = read_text(text, TAX)
    assert found.ages is None or found.ages[0] is None, found.said


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        # a programme of the parents for children that age: whose ages? not read
        ("Parents of children 4-18 years old", True),
        # the families served: the children's ages set no limit on the parent
        ("Families and caregivers calling about a child 0 - 5 years old", False),
        ("Families with at least one child under 18", False),
    ],
)
def test_the_ages_of_the_children_of_those_served_are_not_theirs(text: str, unread: bool) -> None:
    found = read_text(text, TAX)
    assert found.ages is None, found.said
    assert ("ages" in found.unread) is unread


@pytest.mark.parametrize(
    ("text", "families", "only"),
    [
        ("Men 18 and over. No children can be accommodated.", False, False),
        ("Adults 18+. Families with children are referred to family shelter.", False, False),
        ("Families with minor children. Single adults not accepted.", True, True),
        ("Women and their children", True, False),
    ],
)
def test_whether_children_come_along(text: str, families: bool, only: bool) -> None:
    found = read_text(text, TAX)
    assert found.families is families, found.said
    assert found.only_families is only


def test_a_volunteers_age_is_not_the_clients() -> None:
    clients = "Youth ages 10-17 who need a mentor."
    assert read_text(clients, TAX).ages == (10, 17)
    for sentence in ("Volunteers must be 21 or older.", "Mentors must be at least 18 years old."):
        assert read_text(f"{clients}\n{sentence}", TAX).ages == (10, 17)
        assert read_text(f"{sentence}\n{clients}", TAX).ages == (10, 17)
    alone = read_text("Volunteers must be 21 or older. Children in grades 1-5.", TAX)
    assert alone.ages is None


@pytest.mark.parametrize(
    "text",
    ["Women, men, children and LGBTQ people", "Men, women, youth", "women; men; children"],
)
def test_both_genders_in_a_list_limit_no_gender(text: str) -> None:
    assert read_text(text, TAX).genders == ()


@given(st.integers(min_value=1, max_value=99))
def test_or_younger_and_and_under_say_the_same(n: int) -> None:
    """A fact said another way: the same maximum, whichever words carry it."""
    ways = (f"must be {n} years old or younger", f"{n} and under", f"up to {n} years old")
    assert {read_text(t, TAX).ages for t in ways} == {(None, n)}


@pytest.mark.parametrize(
    "text",
    [
        # the union of these limits reads as no limit at all: they are of different people
        "Women over 21 with their children up to 5 years old",
        "Mothers 18 and up with babies 2 years old or younger",
        # the end of a range the reader did not read is not an age said again
        "Toddlers - 9 years old. After school: 5-12 years old",
    ],
)
def test_limits_of_different_people_are_unread(text: str) -> None:
    found = read_text(text, TAX)
    assert found.ages is None and "ages" in found.unread, found.said


@pytest.mark.parametrize("text", ["Infants - 3rd grade", "Children ages 5 - 8th grade"])
def test_a_grade_is_no_age(text: str) -> None:
    assert read_text(text, TAX).ages not in ((None, 3), (5, 8))


def test_families_only_survives_combining_any_iterable() -> None:
    only = read_text("Families with minor children. Single adults not accepted.", TAX)
    terms = read_terms(["Families"], TAX)
    assert combine(iter([terms, only])).only_families
    assert not combine(iter([terms])).only_families


@pytest.mark.parametrize(
    ("text", "boys", "girls"),
    [
        ("Women 18+ and their children. Boys up to age 12 may stay with their mother.", 12, None),
        ("Mothers with their children; no boys over the age of 10", 10, None),
        ("Families with children. Sons older than 14 are not accepted. Girls under 16.", 14, 15),
        ("Women and their children, male children 12 and under", 12, None),
    ],
)
def test_the_oldest_children_taken_along_are_no_age_of_the_parent(
    text: str, boys: int | None, girls: int | None
) -> None:
    found = read_text(text, TAX)
    assert (found.boys_max, found.girls_max) == (boys, girls), found.said
    assert "ages" not in found.unread and found.ages in (None, (18, None))


def test_boys_ages_of_a_service_for_boys_are_their_own() -> None:
    """No family served: "boys up to 12" are the people served, not children along."""
    found = read_text("Boys up to age 12", TAX)
    assert found.ages == (None, 12) and found.boys_max is None


@pytest.mark.parametrize(
    ("text", "genders"),
    [
        ("Men 18 and older. No children or women.", ("male",)),
        ("Men 18+; women are not accepted", ("male",)),
        ("Single women 18+; no single men", ("female",)),
        ("Women and children. Men are not accepted.", ("female",)),
        ("No men allowed.", ("female",)),
        ("Women 18+ and their children. Men are referred to hotel vouchers.", ("female",)),
        # a refusal in another sentence is not of the people named here
        ("No pets. Women 18 and older.", ("female",)),
        ("Serves men and women; no children", ()),
    ],
)
def test_a_gender_turned_away_is_not_served(text: str, genders: tuple[str, ...]) -> None:
    """Naming the other gender to refuse it limits the service to one gender; it
    never opens it to both."""
    assert read_text(text, TAX).genders == genders
    assert read_text(text, TAX, prose=True).genders == genders


@pytest.mark.parametrize(
    ("text", "populations"),
    [
        ("LGBTQ+ young people ages 18-24 experiencing homelessness.", ("lgbtq",)),
        ("Serves transgender women", ("lgbtq",)),
        ("Immigrants and refugees of any age", ("foreign-nationals",)),
        # welcome is not whom it focuses on; refused is not either
        ("Young adults 18-24, all genders; LGBTQ young adults welcome.", ()),
        ("No undocumented immigrants", ()),
        ("Adults 18 and older", ()),
    ],
)
def test_the_groups_a_record_focuses_on(text: str, populations: tuple[str, ...]) -> None:
    """A group named as whom the service is for is its focus (ranked by, never a
    filter), read with the words a caller would use for it."""
    assert read_text(text, TAX, prose=True).populations == populations
    assert combine([read_text(text, TAX), Reading()]).populations == populations


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("Families with minor children", True),
        ("Two-parent families, single mothers or single fathers with children under 18", True),
        ("Homeless families with children. Harris County residents only", True),
        # anyone else named, or children not needed: a person alone may come
        ("Women fleeing domestic violence and their children", False),
        ("Families with or without children", False),
        ("Single adults and families with children", False),
        ("Families and individuals", False),
        ("Low-income families", False),
    ],
)
def test_a_record_naming_only_families_takes_no_one_alone(text: str, only: bool) -> None:
    found = read_text(text, TAX)
    assert found.families is True
    assert found.only_families is only


@pytest.mark.parametrize(
    "text",
    [
        "Adult women with children (boys to age 12).",
        "Women with children; families with sons 13 or older are referred to family shelter.",
    ],
)
def test_the_oldest_boy_taken_along_said_more_ways(text: str) -> None:
    """The limit of the boys who come with their mother, not an age of the person
    served, nor a sign that children are sent elsewhere."""
    found = read_text(text, TAX)
    assert found.boys_max == 12
    assert found.families is True and "ages" not in found.unread


def test_the_ages_of_people_served_elsewhere_are_no_limit_here() -> None:
    """ "Children 12 and under are seen at Kids Advocacy Center": their ages are
    not this service's, which serves 13 and older."""
    found = read_text(
        "Survivors of sexual assault age 13 and older, any gender. Children 12 and under"
        " are seen at Kids Advocacy Center.",
        TAX,
    )
    assert found.ages == (13, None) and not found.unread
    # adults sent elsewhere are not adults served too
    youth = read_text(
        "Youth ages 12-17. Adults 18 and over are referred to the adult shelter.", TAX
    )
    assert youth.ages != (12, None)


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # those it does not serve, and where they should call, set no limit here
        (
            "Youth ages 11 to 17. Does not serve adults; adults call the Freedom Coalition.",
            (11, 17),
        ),
        # an income limit's aside names no age group served
        ("Household income at or below 125% of poverty (200% for seniors 60+).", None),
        # kinds of trafficking joined by "or" are not groups served
        ("Adult survivors of sex or labor trafficking, 18+, in case management.", (18, None)),
    ],
)
def test_ages_of_others_are_not_the_services(
    text: str, ages: tuple[int | None, int | None] | None
) -> None:
    found = read_text(text, TAX)
    assert found.ages == ages and not found.unread


def test_a_kind_referred_elsewhere_is_not_served() -> None:
    found = read_text(
        "Adult workers 18+ who experienced labor trafficking. Sex trafficking cases are"
        " referred to partners.",
        TAX,
    )
    assert found.trafficking == ("labor",)


@pytest.mark.parametrize(
    "text",
    [
        "Adults 18+. Families with children should call the Family Housing Hub.",
        "Women 18 and older. Cannot accept children.",
    ],
)
def test_children_sent_elsewhere_or_refused_are_not_taken(text: str) -> None:
    assert read_text(text, TAX).families is False


@pytest.mark.parametrize(
    ("text", "genders", "families", "only"),
    [
        # the mothers' shelter: women with their children, a woman alone turned away
        (
            "Women accompanied by their minor children; boys 13 and older cannot be"
            " accommodated. Single women without children are not eligible.",
            ("female",),
            True,
            True,
        ),
        # a father welcome with his children: a family of either parent
        ("Families only. Fathers with children are welcome.", (), True, True),
        ("Adult women. Not for men.", ("female",), None, False),
    ],
)
def test_who_is_turned_away_or_welcome_too(
    text: str, genders: tuple[str, ...], families: bool | None, only: bool
) -> None:
    found = read_text(text, TAX)
    assert (found.genders, found.families, found.only_families) == (genders, families, only)
