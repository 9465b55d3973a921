"""Free text -> structured query.

A hotline volunteer types what the caller said: "temporary shelter for minors
near Fresno", "lawyer for T-visa, speaks Punjabi, 93721", "she's 15, needs a
safe place tonight, Visalia", "refugio para menores cerca de Fresno".
:func:`parse` finds, in order:

1. the place after a preposition ("near/in/around/cerca de X"), a ZIP code,
   "lat,lon", degrees-minutes, "X County",
2. ages and counts (:mod:`referral_cli.query.people`: "she's 15", "girl, 15", "2 kids"),
3. the longest phrases of the taxonomy (service types, populations,
   trafficking types, languages, areas, with their synonyms, English and Spanish),
4. typo-tolerant matches for what is left (rapidfuzz),
5. a town, county or state named without a preposition, among the words left,
6. gender and household from pronouns and relations ("my daughter", "a woman
   with 2 kids"),

and keeps every other word as a text term, matched against provider names,
descriptions and keywords. What was not used (a number, a language name) is
said in ``notes``. Flags and free text combine: :func:`merge`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from referral_cli.query import people
from referral_cli.query.control import control_spans
from referral_cli.query.places import (
    bare_place,
    extract_place,
    fallback_place,
    inside_unplaced,
    names_place,
    place_over,
    town_in_capitals,
)
from referral_cli.query.record import Query, fact_key
from referral_cli.query.vocabulary import (
    LANGUAGE_CUES,
    LANGUAGE_CUES_AFTER,
    WORD,
    Meaning,
    match_at,
    vocabulary,
)
from referral_cli.taxonomy import Taxonomy, load

_ALNUM = re.compile(r"[^\W_]")  # a word has a letter or digit: "-" alone is none
# "chinese/mandarin" and "Korean-speaking" are two words ("24/7", "y/o", "t-visa" stay one)
_SPLIT = re.compile(r"(?<=[^\W\d_]{3})/(?=[^\W\d_]{3})|-(?=speak)", re.IGNORECASE)

# A query is a sentence or two of a call; a longer text (a pasted file, an attack)
# is refused with this many characters named, so every reading stays fast.
MAX_QUERY_CHARS = 2000


def length_problem(text: str) -> str | None:
    """Why ``text`` is too long to be read as a query, if it is."""
    if len(text) <= MAX_QUERY_CHARS:
        return None
    return (
        f"{len(text):,} characters is more than the {MAX_QUERY_CHARS:,} a query may have:"
        " give the need, the person and the place in a sentence or two"
    )


def parse(text: str, tax: Taxonomy | None = None, prefer_countries: Sequence[str] = ()) -> Query:
    """Understand free text; never raises on any input.

    ``prefer_countries`` (the directory's) decides which towns named without a
    preposition count: a lowercase word only names a sizeable place there.
    """
    tax = tax or load()
    q = Query(text=text)
    place, rest = extract_place(text, prefer_countries)
    q.place = place
    numbers = people.read_numbers(rest, tax)
    words = WORD.findall(_SPLIT.sub(" ", numbers.text.replace("’", "'")))
    originals = [w.strip("'") for w in words if _ALNUM.search(w)]  # "'boyfriend'"
    tokens = [t.lower() for t in originals]
    vocab = vocabulary(tax)
    mentions: list[people.Mention] = []
    term_at: dict[int, str] = {}  # token position -> term
    origins: set[int] = set()  # words for where the person is from ("Somali family")
    guessed: list[tuple[str, str, str]] = []  # misspelt needs: (as typed, read as, key)
    inside: set[int] = set()  # token positions of a need or trafficking phrase
    need_at: dict[str, list[int]] = {}  # need -> where it was said
    controls = control_spans(tokens, tax)
    i = 0
    while i < len(tokens):
        if i in controls:  # "kept his wages", "made to sell": said by the clause's shape
            n, kind = controls[i]
            meaning: Meaning | None = Meaning("trafficking", kind)
            typo = ""
        else:
            n, meaning, typo = match_at(tokens, i, vocab, tax)
        phrase = " ".join(tokens[i : i + n])
        if typo and n == 1 and names_place(originals, i, prefer_countries):
            meaning = None  # "hotline México": a place, not a misspelt "médico"
        if (
            typo
            and meaning is not None
            and meaning.kind == "language"
            and not _language_cue(tokens, i)
        ):
            meaning = None  # "nail salon": no misspelt language without "speaks"
        if (
            meaning is not None
            and meaning.kind == "language"
            and n == 1
            and not _language_cue(tokens, i)
            and _from_word(originals, i, text, tax)
        ):
            q.notes.append(
                f"'{originals[i]} {originals[i + 1]}': where the person is from, not a"
                f" language asked (add --language {meaning.key} if it is one)"
            )
            meaning = None  # "Haitian woman", "Filipino caregiver": not "speaks Haitian"
            origins.add(i)  # nor the place: "Tempe, Somali family": not Somali, Ethiopia
        if meaning is not None and _introduces(tokens, i + n, meaning, vocab, tax):
            meaning = None  # "wants to talk to a lawyer": the lawyer is the need
        if meaning is not None and _acts(tokens, i + n, meaning, tax):
            meaning = None  # "police found him": who acted, not a need
        if (
            meaning is not None
            and place is None
            and not (meaning.kind == "language" and _language_cue(tokens, i))
            and place_over(originals, i, n, numbers.text, prefer_countries)
        ):
            meaning = None  # "German Village": the place's name, not the language
        if meaning is not None and _located(tokens, i, meaning, tax):
            meaning = None  # "hurt at work", "donde trabajo": where, not a need
        denial = _denied(tokens, i, tax, meaning.kind == "service") if meaning else ""
        if meaning is not None and denial == _HAS:
            # "he has an apartment": his already, so not searched for, and said
            q.notes.append(
                f"'{_words(originals, i, n, tax)}': not searched for (the person has it)"
            )
        elif meaning is not None and denial:
            key = f"{meaning.kind}:{meaning.key}"
            if key not in q.negated:  # "not a shelter", "doesn't speak English", "not gay"
                q.negated.append(key)
                q.evidence["not " + key] = _words(originals, i, n, tax)
        elif typo and n == 1 and meaning is not None and meaning.kind == "service":
            guessed.append((phrase, typo, meaning.key))  # used only if no need is said right
        elif meaning is not None:
            _apply(q, meaning)
            if meaning.kind == "service":
                need_at.setdefault(meaning.key, []).append(i)
            if meaning.kind != "population":  # "sleep with men for money": not the person,
                pronouns = tax.people.get("pronouns", frozenset())  # but "selling her" is
                inside.update(j for j in range(i, i + n) if tokens[j] not in pronouns)
            q.evidence.setdefault(
                fact_key(meaning.kind, meaning.key), " ".join(originals[i : i + n])
            )
            if meaning.kind == "population":
                mentions.append(people.Mention(i, phrase, meaning.key))
            if typo:
                q.corrections.append(f"'{phrase}' read as '{typo}'")
        elif not (
            (
                tokens[i] in tax.stop_words
                and not town_in_capitals(originals, i, text, prefer_countries)
            )
            or tokens[i] in tax.negations
            or tokens[i].isdigit()
            or people.is_person_word(tokens[i], tax)
        ):
            term_at[i] = tokens[i]  # a person word ("sister", "ella") is read by people
        if (
            meaning is None
            and phrase in people.household_words(tax)
            and not _denied(tokens, i, tax)
        ):
            mentions.append(people.Mention(i, phrase))  # "no kids": no household
        i += n
    if q.place is None:
        kept = dict(term_at)
        placeable = {i: t for i, t in term_at.items() if i not in origins}
        q.place = bare_place(originals, placeable, prefer_countries, tax.stop_words, q.notes)
        term_at = {i: t for i, t in term_at.items() if i in placeable or i in origins}
        if q.place is not None and inside_unplaced(q.place, text):
            q.place, term_at = None, kept
    if q.place is None:  # "man from Nepal", or a phrase said as a place that names none
        q.place = fallback_place(text, prefer_countries)
        said = {w.lower() for w in WORD.findall(q.place or "")}
        term_at = {i: t for i, t in term_at.items() if t not in said}
    if q.place is not None:
        q.evidence["place"] = q.place
    q.terms = list(dict.fromkeys(term_at.values()))
    for need, said_at in need_at.items():
        if all(_describes_the_person(tokens, at, q, tax) for at in said_at):
            _not_asked(
                q, need, "saying who the person is, beside the needs asked;"
                " add --service {need} if it is one too",
            )  # fmt: skip
    job = need_at.get(_WORK, [])
    if "labor" in q.trafficking and job and all(_work_described(tokens, at, tax) for at in job):
        _not_asked(
            q, _WORK, "the work the person was exploited in, not a job asked for;"
            " add --service {need} if one is",
        )  # fmt: skip
    for typed, read, key in guessed:
        if q.services:  # "trabaja" beside "abogado": a verb, not a misspelt "trabajo"
            q.notes.append(f"'{typed}' may mean '{read}': not searched for (add --service {key})")
        elif key not in q.services:
            q.services.append(key)
            q.evidence[fact_key("service", key)] = typed
            q.corrections.append(f"'{typed}' read as '{read}'")
    # "not a shelter... needs a shelter after all": asked, so not denied
    # "not a shelter... needs a shelter after all": asked, so not denied
    asked = (*q.services, *q.languages, *q.populations, *q.trafficking, *q.areas)
    q.negated = [k for k in q.negated if k.partition(":")[2] not in asked]
    q.notes += [f"'{q.evidence['not ' + key]}': not searched for" for key in q.negated]
    _read_people(q, numbers, tokens, mentions, tax, inside)
    q.notes += _language_notes(tokens, originals, term_at)
    return q


def _not_asked(q: Query, need: str, read_as: str) -> None:
    """A need read from words that say something else: not searched for, and said
    (``read_as`` names the need as ``{need}``)."""
    q.services.remove(need)
    words = q.evidence.pop(fact_key("service", need))
    q.notes.append(f"'{words}' read as " + read_as.format(need=need))


_WORK = "job-placement"
_SEEKING = frozenset(["find", "finding", "get", "getting", "new", "another", "buscar", "conseguir"])


def _work_described(tokens: list[str], i: int, tax: Taxonomy) -> bool:
    """Whether the work word at ``i`` names the work a person was exploited in
    ("unpaid farm work", "brought here to work on a farm", "construction job in
    Miami, wages stolen") rather than a job asked for ("needs a job", "wants to
    work", "job, 19"): a word that qualifies it before, or "to", and no verb of
    wanting or seeking just before."""
    before = tokens[max(0, i - 3) : i]
    if any(w in tax.people.get("wanting", ()) or w in _SEEKING for w in before):
        return False
    prev = tokens[i - 1] if i else ""
    if prev == "to" or (prev == "a" and tokens[i].endswith(("ar", "er", "ir"))):
        return True  # "to work on a farm", "lo trajeron a trabajar"
    return prev.isalpha() and prev not in tax.stop_words and not people.is_person_word(prev, tax)


def _describes_the_person(tokens: list[str], at: int, q: Query, tax: Taxonomy) -> bool:
    """Whether a need word is said of the person beside other needs asked: "food and a
    shower for a homeless guy" asks for food and a shower; "homeless guy in Fresno",
    with nothing else asked, still asks for a bed."""
    word = tokens[at]
    after = tokens[at + 1] if at + 1 < len(tokens) else ""
    return (
        word in tax.people.get("describing", ())
        and len(q.services) > 1
        and people.is_person_word(after, tax)
    )


def _read_people(
    q: Query,
    numbers: people.Numbers,
    tokens: list[str],
    mentions: list[people.Mention],
    tax: Taxonomy,
    inside: set[int],
) -> None:
    """Age, gender and household into ``q``, and a note for each fact left unused."""
    who = people.read_people(tokens, mentions, tax, "families" in q.populations, inside)
    q.notes += who.notes
    if who.others_only and numbers.sexes:  # "abusive boyfriend, 30 F": she is the person
        who.gender, who.gender_words = None, ""
    votes = {**({who.gender: [who.gender_words]} if who.gender else {}), **numbers.sexes}
    if who.gender in numbers.sexes:
        votes[who.gender] = [who.gender_words, *numbers.sexes[who.gender]]
    if len(votes) > 1 and not who.disagree:  # "M 17, F 16", "she ... 17M"
        words = "; ".join(f"{k}: {', '.join(repr(w) for w in v)}" for k, v in votes.items())
        q.notes.append(f"gender not set: the words disagree ({words}); add --gender if it is known")
    if who.disagree or len(votes) > 1:
        q.unsure.append("gender")
    cue = next((t for t in tokens if t in tax.people.get("trafficking_cues", ())), None)
    trade = next((t for t in tokens if t in tax.people.get("trades", ())), None)
    if cue and trade and not q.trafficking and not q.negated:
        # "trafficked doing housework", "explotado en una construcción": a trade is labor
        q.trafficking.append("labor")
        q.evidence[fact_key("trafficking", "labor")] = f"{cue} … {trade}"
        q.terms = [t for t in q.terms if t != trade]
    elif cue and not q.trafficking and not any(k.startswith("trafficking:") for k in q.negated):
        q.unsure.append("trafficking")
        q.notes.append(
            f"'{cue}' was read without a kind of trafficking: providers serving one kind"
            " only are marked 'check'; add --trafficking sex or labor"
        )
    q.populations = [p for p in q.populations if p not in who.drop_populations]
    if who.family:
        q.household = people.children_ages(q.text or "", tax)
        q.children_genders = people.children_genders(q.text or "", tax)
        numbers.ages = [a for a in numbers.ages if a not in q.household]
        numbers.unused = [n for n in numbers.unused if not n.isdigit() or int(n) not in q.household]
        if not any((tax.populations[p].min_age or 0) >= 18 for p in q.populations):
            q.populations.append("adults")
        if "families" not in q.populations:
            q.populations.append("families")
    if len(votes) == 1:
        q.gender = next(iter(votes))
    if who.gender_words:
        q.evidence["gender"] = who.gender_words
    said = {tax.populations[p].gender for p in q.populations if p in tax.populations}
    said.discard(None)
    if q.gender is None and len(said) == 1 and not who.notes:  # "muchacha", "girls' home"
        q.gender = said.pop()
    if numbers.ages:
        q.age, *others = numbers.ages
        q.evidence["age"] = numbers.age_words.get(q.age, str(q.age))
        for other in others:
            q.notes.append(
                f"'{other}' was not used: more than one age; search once per person"
                f" (add --age {other})"
            )
        for key in [p for p in q.populations if not tax.populations[p].admits_age(q.age)]:
            pop = tax.populations[key]
            q.populations.remove(key)
            q.notes.append(f"age {q.age} is outside '{pop.label}': searching by the age")
            if "gender" not in q.unsure:  # the words disagreed: not from a word set aside
                q.gender = q.gender or pop.gender
    for age, why in numbers.set_aside:
        q.notes.append(f"'{age}' was not used: {why}")
    if numbers.unbound and q.age is None:
        both = " and ".join(f"'{a}'" for a in numbers.unbound)
        q.unsure += [f"age:{a}" for a in numbers.unbound]  # each said "check" where it excludes
        q.notes.append(
            f"age not set: {both} were both said of the person and nothing says which is"
            " right; add --age once it is known"
        )
    for number, whose in numbers.others_ages:
        q.notes.append(
            f"'{number}' was not used: it reads as the {whose}'s age;"
            f" if it is the person's, add --age {number}"
        )
    for number in numbers.unused:
        if q.place and number in q.place:
            continue
        bare = (
            number.isdigit()
            and len(number) <= people.MAX_NUMBER_DIGITS
            and int(number) <= people.MAX_AGE
        )
        hint = f" — is it the age? add --age {number}" if bare else ""
        if bare and q.age is None:
            q.unsure.append(f"age:{number}")
        q.notes.append(f"'{number}' was not used{hint}")


_DENIAL_REACH = 3  # words back from a need that a negation may stand


def _denied(tokens: list[str], i: int, tax: Taxonomy, service: bool = False) -> str:
    """What stands before token ``i`` with only stop words between: a negation
    (``_NOT``: "not a shelter", "doesn't speak English", "no quiere refugio"), a verb
    of having a need (``_HAS``), or neither ("").

    For a need (``service``) a negation of having says the person lacks it, which
    asks for it ("doesn't have a place to stay", "no place to stay", "without a
    lawyer", "sin lugar donde dormir"); a negation of wanting denies it ("doesn't
    want a shelter", "no quiere refugio"), and having it denies it too ("she has
    somewhere to sleep", "has an apartment"; not "has to find a shelter").
    """
    lack, having, wanting, owning, fearing = (tax.people.get(k, frozenset()) for k in _NEED_VERBS)
    if service and (tokens[i] in tax.negations or tokens[i] in lack):
        return ""  # "no place to stay": the phrase says the lack itself
    between: list[str] = []  # the stop words between, nearest first
    reach = _DENIAL_REACH + 1  # "not looking for a bed": a verb of wanting may stand between
    j = i
    while j > 0 and reach > 0:
        j -= 1
        word = tokens[j]
        if word not in _PASSED_VERBS:
            reach -= 1  # a passed verb takes no room: "scared to go to the police"
        if service and word in fearing:
            # "scared to go to the police", "miedo de ir a la policía": not wanted; never
            # "scared, needs a shelter"
            feared = tokens[j + 1] in _FEARED and not any(w in wanting for w in between)
            return _NOT if feared else ""
        if len(between) == _DENIAL_REACH and not any(w in wanting for w in between):
            return ""
        if word in tax.negations:
            if not service:
                return _NOT
            if any(w in having for w in between):
                return ""
            lacks = word in lack or (j > 0 and tokens[j - 1] in having | _WITH)  # "has no bed"
            return _NOT if not lacks or any(w in wanting for w in between) else ""
        if (
            service
            and word in owning
            and tokens[i] != "to"  # "has to be placed"
            and all(w in _ARTICLES for w in between)  # never "tiene 20 años, abogado"
            and _denied(tokens, j, tax) != _NOT  # "doesn't have a bed" lacks one
        ):
            return _HAS
        if word in _PASSED_VERBS:
            continue
        if word not in tax.stop_words:
            return ""
        between.append(word)
    return ""


_NOT, _HAS = "not", "has"  # what _denied finds before a phrase
# verbs a negation reaches across to a need: "doesn't speak English", "won't go to a
# shelter", "scared to call the police", "miedo de ir a la policía"
_PASSED_VERBS = frozenset(
    ["speak", "speaks", "habla", "go", "going", "call", "talk", "contact", "involve", "ir",
     "llamar", "hablar"]
)  # fmt: skip
_FEARED = frozenset(["to", "of", "de"])  # after a word of fear, what it fears follows
# taxonomy.yaml's people: a need's verbs
_NEED_VERBS = ("lack", "having", "wanting", "owning", "fearing")
_WITH = frozenset(["with", "con", "w/"])  # "a woman with no place to stay" lacks one
_ARTICLES = frozenset(["a", "an", "the", "some", "un", "una", "su"])  # "has an apartment"


def _introduces(
    tokens: list[str], end: int, meaning: Meaning, vocab: dict[str, Meaning], tax: Taxonomy
) -> bool:
    """Whether a need phrase ending in "to"/"with" ("to talk to") only leads to another
    need said right after it ("to talk to a lawyer"): the talk is with that one."""
    if meaning.kind != "service" or end < 1 or tokens[end - 1] not in ("to", "with"):
        return False
    j = end
    while j < len(tokens) and j - end < 2 and tokens[j] in _DETERMINERS:
        j += 1  # "to a lawyer"; never "to right now, suicidal": another clause
    found = match_at(tokens, j, vocab, tax)[1] if j < len(tokens) else None
    return found is not None and found.kind == "service"


_OBJECTS = frozenset(["him", "her", "them", "me", "us", "la", "lo", "los", "las"])
_DETERMINERS = frozenset(
    ["a", "an", "the", "some", "her", "his", "their", "my", "un", "una", "el", "la", "los", "las"]
)


def _acts(tokens: list[str], end: int, meaning: Meaning, tax: Taxonomy) -> bool:
    """Whether a need word is the subject of a past act on someone ("police found
    him", "CPS took her kids", "la policía la encontró") or of an order ("court
    ordered john class"): who acted, not what is needed."""
    if meaning.kind != "service" or end + 1 >= len(tokens):
        return False
    verb, whom = tokens[end], tokens[end + 1]
    if verb in tax.people.get("ordering", frozenset()) and whom != "by":
        return True  # "court ordered john class"; not "a lawyer ordered by the court"
    if verb in _OBJECTS and whom in tax.people.get("acted", frozenset()):
        return True  # Spanish puts the object first: "la policía la encontró"
    # "my job took my passport": what was taken is someone's
    whose = _OBJECTS | tax.people.get("possessives", frozenset())
    return whom in whose and verb in tax.people.get("acted", frozenset())


_INFINITIVE = ("ar", "er", "ir")  # Spanish: "donde dormir" asks where to sleep


def _located(tokens: list[str], i: int, meaning: Meaning, tax: Taxonomy) -> bool:
    """Whether a need word says where someone is or works ("hurt at work", "at his job",
    "en el trabajo", "the restaurant where I work", "donde trabajo"), not a need."""
    if meaning.kind != "service" or i == 0:
        return False
    before = tokens[max(0, i - 2) : i]
    where = tax.people.get("where", frozenset())
    if before[-1] in where and not tokens[i].endswith(_INFINITIVE):
        return True  # "donde trabajo"; not "donde dormir", where to sleep: a need
    if len(before) == 2 and before[0] in where and before[1] in tax.people.get("subjects", ()):
        return True  # "where I work"
    if len(before) == 2 and before[-1] in tax.people.get("determiners", frozenset()):
        before = before[:1]  # "at his job", "en el trabajo"
    return before[-1] in tax.people.get("located_at", frozenset())


def _words(originals: list[str], i: int, n: int, tax: Taxonomy) -> str:
    """The words of a denied phrase, from its negation on."""
    start = i
    said_first = tax.negations | tax.people.get("having", frozenset())
    for j in range(i - 1, max(-1, i - 1 - _DENIAL_REACH - 1), -1):
        start = j
        if originals[j].lower() in said_first:
            break
    return " ".join(originals[start : i + n])


def _from_word(originals: list[str], i: int, text: str, tax: Taxonomy) -> bool:
    """Whether the language's word at ``i`` describes the person written right after
    it ("Haitian woman", "Filipino caregiver"; not "only Vietnamese, boy 14"): where
    they are from, when nothing in the words speaks of language ("Somali teen wants
    ESL", "doesn't speak English": the person's language)."""
    if i + 1 >= len(originals):
        return False
    after = originals[i + 1].lower()
    tokens = {w.lower() for w in originals}
    return (
        (people.is_person_word(after, tax) or after in tax.people.get("from_words", ()))
        and not tokens & tax.people.get("language_help", frozenset())
        and re.search(rf"{re.escape(originals[i])}\s+{re.escape(originals[i + 1])}", text)
        is not None
    )


def _language_cue(tokens: list[str], i: int) -> bool:
    """Whether a word beside token ``i`` says a language is meant ("speaks", "habla",
    "in")."""
    return (i > 0 and tokens[i - 1] in (*LANGUAGE_CUES, "in", "en")) or (
        i + 1 < len(tokens) and tokens[i + 1] in LANGUAGE_CUES_AFTER
    )


def _language_notes(tokens: list[str], originals: list[str], term_at: dict[int, str]) -> list[str]:
    """A word next to "speaks"/"habla" ("speaks Hmoob", "Hmong speaking") that is no
    language the taxonomy knows is said, never dropped."""
    notes = []
    for i in term_at:
        if i and tokens[i - 1] in LANGUAGE_CUES:
            cue = f"after '{originals[i - 1]}'"
        elif i + 1 < len(tokens) and tokens[i + 1] in LANGUAGE_CUES_AFTER:
            cue = f"before '{originals[i + 1]}'"
        else:
            continue
        notes.append(
            f"'{originals[i]}' {cue} is not a language this tool knows;"
            " give its code, e.g. --language hmn"
        )
    return notes


def _apply(q: Query, meaning: Meaning) -> None:
    target = {
        "service": q.services,
        "population": q.populations,
        "trafficking": q.trafficking,
        "language": q.languages,
        "area": q.areas,
    }.get(meaning.kind)
    if target is not None and meaning.key not in target:
        target.append(meaning.key)
