"""The fields of one provider read from its service's rows: eligibility (ages from
numbers or words, genders, populations, whether it is stated at all), languages,
phones, opening hours (through :mod:`referral_cli.records.hours`) and when it was verified."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from typing import Any

from referral_cli.format.definition import CHILDREN_ALONG, UNSTATED_WITHOUT
from referral_cli.hsds import residency
from referral_cli.hsds.clean import Cleaner
from referral_cli.hsds.eligibility_text import (
    Reading,
    ages_unstated,
    cell_names,
    combine,
    read_terms,
    read_text,
    terms_only,
)
from referral_cli.hsds.fields import (
    dedupe,
    normalise_email,
    normalise_phone,
    normalise_url,
    phrases,
    split_list,
    to_age,
    to_date,
)
from referral_cli.hsds.links import Links
from referral_cli.hsds.mapping import HsdsMap, norm_term
from referral_cli.hsds.read import Row, cell
from referral_cli.hsds.report import ProviderReport
from referral_cli.hsds.terms import TAXONOMY_ELIGIBILITY, Term
from referral_cli.records import hours as opening_hours
from referral_cli.records.model import GENDERS, TRAFFICKING_TYPES, UNSTATED_DIMENSIONS
from referral_cli.taxonomy import Taxonomy

# eligibility text that states there is no restriction ("Serves all ages", "Open to
# anyone in need", "Survivors of any age and gender")
ADULT_AGE = 18  # a limit on the children taken along at this age or above limits none
_SENTENCE_END = re.compile(r"[.;!?]\s+")
_OPEN_TO_ALL = re.compile(
    r"(?i)(?:(?:serves|serving|open to|for) )?"
    r"(?:none|no restrictions?|no eligibility requirements?"
    r"|(?:all|everyone|anyone|the (?:general )?public)(?: who (?:is|are))?(?: in need)?"
    r"|general public|all are welcome|no requirements?"
    r"|(?:(?:people|persons|individuals|clients|survivors|victims) of )?(?:all|any) ages?"
    r"(?: and (?:all |any )?genders?)?)"
)


_ANY_AGE = re.compile(r"(?i)\b(?:any|all)\s+ages?\b")
_RESIDENTS = re.compile(r"(?i)\bresidents?\b")
# words that make a service area a rule: "only", "must", "limited to", "eligible"
_LIMITED = re.compile(r"(?i)\b(?:only|must|required|restricted|limited\s+to|eligib\w*)\b")


class Details:
    """Reads the contact, eligibility and hours fields of a service at a location."""

    def __init__(self, links: Links, clean: Cleaner, m: HsdsMap, tax: Taxonomy):
        self.links = links
        self.clean = clean
        self.m = m
        self.tax = tax
        self.today = dt.date.today()

    def eligibility(
        self, s: Row, rep: ProviderReport, terms: list[Term], prose: str = ""
    ) -> dict[str, Any]:
        """Who the service is for, read by :mod:`referral_cli.hsds.eligibility_text` from
        its age columns, eligibility text, target-population terms and, when it has no
        eligibility text, its own description (``prose``); the source text kept as
        ``notes``. ``stated: false`` when nothing readable is said (unknown is not
        everyone) and when the words set a limit the reader could not read: then no
        limit is claimed, for one read without the other would mislead."""
        c = self.clean
        texts = [cell(s, "eligibility_description", "eligibility")]
        rows = self.links.eligibility.get(s.get("id", ""), [])
        texts += [cell(r, "eligibility", "eligibility_description", "description") for r in rows]
        notes = dedupe([t for t in (c.text(x) for x in texts) if t])
        out: dict[str, Any] = {}
        readings: list[Reading] = []
        numeric = [(s.get("minimum_age", ""), s.get("maximum_age", ""))] + [
            (r.get("minimum_age", ""), r.get("maximum_age", "")) for r in rows
        ]
        for lo_raw, hi_raw in numeric:
            lo, hi = to_age(lo_raw), to_age(hi_raw)
            if lo is not None or hi is not None:
                if lo is not None and hi is not None and lo > hi:
                    rep.drop("eligibility.ages", f"{lo_raw}-{hi_raw}", "minimum above maximum")
                    continue
                readings.append(Reading(ages=(lo, hi), said=[f"ages {lo_raw}-{hi_raw}"]))
        given_ages = bool(readings)
        cells: list[Reading] = []  # the readings of cells of terms ("Female")
        for text in _statements(notes, self.tax) or ([prose] if prose else []):
            found = read_text(text, self.tax, prose=not notes)
            names = cell_names(text) if notes else []
            whole = terms_only(names, self.tax) if notes else None
            if whole is not None:  # "Men", "Women, Girls", "Teens": terms as text
                found = whole
                cells.append(found)
            elif notes and found == Reading():
                found = read_terms(names, self.tax)
                cells.append(found)
            if given_ages:  # the age columns say it exactly
                found.ages = None
                found.unread = [d for d in found.unread if d != "ages"]
            readings.append(found)
        if any(r.genders for r in cells):
            # a cell of terms says the gender ("Female"); sentences naming both ("Women
            # ... men are sent to hotels") say no more than that both were named
            for r in readings:
                if r.genders == () and all(r is not c for c in cells):
                    r.genders = None
        # terms of an eligibility vocabulary ("Teens", "Women" in an HSDS 2.0 eligibility
        # taxonomy) say whom the service admits; other target-population terms whom it
        # focuses on, read for genders and families only
        vocab = [(t, t.vocabulary.lower()) for t in terms if t.vocabulary != TAXONOMY_ELIGIBILITY]
        stated = [t.name for t, v in vocab if t.name and "eligib" in v]
        readings.append(read_terms(stated, self.tax))
        others = [t.name for t, v in vocab if t.name and "eligib" not in v]
        readings.append(read_terms(others, self.tax, ages=False))
        read = combine(readings)
        if read.unread:
            rep.guessed.append(
                f"eligibility partly read ({', '.join(read.unread)} not understood):"
                " left as not stated"
            )
        else:
            if read.ages is not None:
                lo, hi = read.ages
                out["ages"] = [lo or None, hi]
            if read.genders:
                out["genders"] = list(read.genders)
            if read.trafficking:
                out["trafficking"] = list(read.trafficking)
            populations = (["families"] if read.families else []) + list(read.populations)
            if populations:
                out["populations"] = populations
            if read.families is False or read.only_families:
                out["children"] = read.only_families  # no children, or families only
            if read.families is not False:
                for key, oldest in zip(
                    CHILDREN_ALONG, (read.boys_max, read.girls_max), strict=True
                ):
                    # "male children up to age 18": every boy who is a child, no limit
                    if oldest is not None and oldest < ADULT_AGE:
                        out[key] = oldest
            if (
                read.genders
                and ages_unstated(readings, self.tax)
                and not _ANY_AGE.search(" ".join(notes))
            ):  # "homeless males", "Women and their children": never "any age"
                out["unstated"] = ["ages"]
            if read.said:
                rep.mapped.append({"eligibility": read.said})
        self._exported(terms, out)
        said_all = False
        if notes:
            note = " ".join(notes)
            only_open = bool(_OPEN_TO_ALL.fullmatch(note.strip(" .")))
            # "Open to all." beside conditions on something else ("No income
            # requirement. Limit one box per household"): open, when nothing read limits it
            said_all = (
                only_open
                or not read.unread
                and any(
                    _OPEN_TO_ALL.fullmatch(part.strip(" ."))
                    for part in (*notes, *_SENTENCE_END.split(note))
                )
            ) and not ("ages" in out or "genders" in out)
            if not only_open and note.lower() not in ("none", "n/a", "na", "-", "no"):
                out["notes"] = note
        states = {t.code for t in terms if t.vocabulary == TAXONOMY_ELIGIBILITY}
        restricted = any(k in out for k in UNSTATED_WITHOUT)
        if "stated:false" in states or not (restricted or said_all or "stated:true" in states):
            # an HSDS record without readable eligibility says nothing about who is served
            for key in UNSTATED_WITHOUT:
                out.pop(key, None)
            out["stated"] = False
        return out

    def residency(
        self,
        s: Row,
        address: dict[str, str],
        point: tuple[float, float] | None,
        area_words: list[str],
    ) -> list[str]:
        """Where the service's people must live (:mod:`referral_cli.hsds.residency`):
        read from its eligibility text, and from a service area only where its
        words limit it to residents ("County residents only": the area's name;
        "Residents of 21212 and 21239 only") — a service area is otherwise where a
        service goes, never whom it turns away ("Residents of Baltimore City" names
        the area served). A service with no
        address is placed in the state its areas name (``area_words``)."""
        c = self.clean
        state = address.get("region") or residency.state_of(area_words)
        country = address.get("country") or ("US" if state in self.m.us_states else None)
        where = (state, country, point)
        texts = [cell(s, "eligibility_description", "eligibility")]
        rows = self.links.eligibility.get(s.get("id", ""), [])
        texts += [cell(r, "eligibility", "eligibility_description", "description") for r in rows]
        found = residency.areas([t for t in (c.text(x) for x in texts) if t], *where)
        for r in self.links.service_areas.get(s.get("id", ""), []):
            said = c.text(cell(r, "description")) or ""
            if not (_RESIDENTS.search(said) and _LIMITED.search(said)):
                continue  # "Residents of Baltimore City": the area served, not a rule
            found += [
                a
                for a in residency.areas([said], *where)
                or residency.areas([f"residents of {c.text(cell(r, 'name')) or ''}"], *where)
                if a not in found
            ]
        return found

    @staticmethod
    def _exported(terms: list[Term], out: dict[str, Any]) -> None:
        """Genders, trafficking types, populations, children and the oldest of them
        taken along, and where the people must live, our own export wrote as terms."""
        allowed = {"gender": GENDERS, "trafficking": TRAFFICKING_TYPES}
        for term in terms:
            if term.vocabulary != TAXONOMY_ELIGIBILITY:
                continue
            kind, _, value = term.code.partition(":")
            if kind == "children" and value in ("true", "false"):
                out["children"] = value == "true"
                continue
            if kind in CHILDREN_ALONG and value.isdigit():
                out[kind] = int(value)
                continue
            if (
                kind == "unstated"
                and value in UNSTATED_DIMENSIONS
                and value not in out.get(kind, [])
            ):
                out.setdefault(kind, []).append(value)
                continue
            if kind == "residents_of" and value and value not in out.get(kind, []):
                out.setdefault(kind, []).append(value)  # checked by validate, as written
                continue
            key = {
                "gender": "genders",
                "trafficking": "trafficking",
                "population": "populations",
            }.get(kind)
            ok = (
                value in allowed[kind]
                if kind in allowed
                else bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value))
            )
            if key and ok and value not in out.get(key, []):
                out.setdefault(key, []).append(value)

    def languages(
        self, sid: str, lid: str | None, s: Row, loc: Row | None, rep: ProviderReport
    ) -> tuple[list[str], list[str]]:
        """Language codes of the service (else its location), and search words for
        what is not a code ("interpretation available", sign language); the rest is dropped
        and reported."""
        cells: list[str] = []
        for r in self.links.languages.get(("service_id", sid), []) or (
            self.links.languages.get(("location_id", lid), []) if lid else []
        ):
            code = r.get("code", "").strip()
            cells.append(code if code else cell(r, "name", "language"))
        cells += split_list(s.get("languages", ""))
        if not cells and loc is not None:
            cells += split_list(loc.get("languages", ""))
        codes: list[str] = []
        words: list[str] = []
        for written in cells:
            text = self.clean.text(written) or ""
            found, unknown, noise = self._language_codes(text)
            for code in found:
                if code not in codes:
                    codes.append(code)
            if noise and "interpretation available" not in words:
                words.append("interpretation available")
            for u in unknown:
                if "sign language" in u.lower() or re.match(r"(?i)asl\b", u):
                    words.append("American Sign Language")
                else:
                    rep.drop("languages", u, "not a known language name or ISO 639-1 code")
        return codes, words

    @functools.cached_property
    def _language_words(self) -> dict[str, str | None]:
        words: dict[str, str | None] = {}
        for lang in self.tax.languages.values():
            for w in (lang.name, lang.native, *lang.synonyms):
                words.setdefault(norm_term(w), lang.code)
        for name, code in self.m.languages.items():
            words.setdefault(name, code if code in self.tax.languages else None)
        return words

    def _language_codes(self, text: str) -> tuple[list[str], list[str], bool]:
        """Codes named by a language cell, the parts not understood, and whether it
        speaks of interpretation."""
        words = self._language_words
        found: list[str] = []
        unknown: list[str] = []
        noise = False
        for part in re.split(r"[,;/\n]|\band\b|&", text):
            part = part.strip(" .-:*").replace("-", " ")
            if not part:
                continue
            low = norm_term(part)
            if low in self.tax.languages:
                found.append(low)
                continue
            if low in words:
                code = words[low]
                (found.append(code) if code else unknown.append(part))
                continue
            bare = " ".join(re.findall(r"[a-zñçéèáíóú']+", re.sub(r"\([^)]*\)", " ", low)))
            if bare in words:
                code = words[bare]
                (found.append(code) if code else unknown.append(part))
                continue
            inside = [
                words[w]
                for w in phrases(" ".join(re.findall(r"[a-zñçéèáíóú']+", low)))
                if words.get(w)
            ]
            if any(w in low for w in self.m.language_noise):
                noise = noise or any(
                    w in low
                    for w in ("interpret", "translat", "language line", "available", "request")
                )
                found.extend(c for c in inside if c)
                continue
            if inside:
                found.extend(c for c in inside if c)
            else:
                unknown.append(part)
        return found, unknown, noise

    def phones(
        self, s: Row, lid: str | None, rep: ProviderReport, country: str | None
    ) -> tuple[str | None, str | None]:
        """The main phone and the hotline of a service at a location, from the most
        specific rows (service at location, service, location, organisation); fax, text and
        TTY lines are not phones to call."""
        sid = s.get("id", "")
        sal_ids = [
            r.get("id", "")
            for r in self.links.sal_by_service.get(sid, [])
            if r.get("location_id") == lid
        ]
        rows: list[Row] = []
        for key, value in (
            *(("service_at_location_id", x) for x in sal_ids),
            ("service_id", sid),
            ("location_id", lid or ""),
            ("organization_id", s.get("organization_id", "")),
        ):
            if value:
                rows.extend(r for r in self.links.phones.get((key, value), []) if r not in rows)
            if rows and key != "service_at_location_id":
                break
        phone = hotline = None
        for r in rows:
            kind = cell(r, "type", "number_type").lower()
            if kind in ("fax", "sms", "text", "pager", "tty", "textphone", "video"):
                continue
            raw = cell(r, "number")
            if not raw:
                continue
            number, note = normalise_phone(raw, cell(r, "extension"), country)
            if number is None:
                rep.drop("phone", raw, "not a phone number")
                continue
            if note:
                rep.drop("phone", raw, note)
            about = f"{cell(r, 'description', 'department')} {kind}".lower()
            if ("hotline" in about or "24" in about) and hotline is None:
                hotline = number
            elif phone is None:
                phone = number
        return phone, hotline

    def email_and_website(
        self, s: Row, loc: Row | None, org: Row | None, rep: ProviderReport
    ) -> tuple[str | None, str | None]:
        """The service's e-mail and web addresses, else its location's or organisation's;
        one that is not an address is dropped and reported."""
        email = website = None
        email_raw = cell(s, "email") or cell(loc, "email") or cell(org, "email")
        if email_raw:
            email = normalise_email(self.clean.text(email_raw) or "")
            if not email:
                rep.drop("email", email_raw, "not an e-mail address")
        url_raw = (
            cell(s, "url", "website") or cell(loc, "website", "url") or cell(org, "website", "url")
        )
        if url_raw:
            website = normalise_url(self.clean.text(url_raw) or "")
            if not website:
                rep.drop("website", url_raw, "not a web address")
        return email, website

    def hours(self, sid: str, lid: str | None, rep: ProviderReport) -> str | dict[str, str] | None:
        """Weekly hours from the schedule rows (HSDS times and weekdays read by
        :mod:`referral_cli.records.hours`), else the schedules' own words; an evening closing time
        written without pm is read as pm and reported."""
        rows: list[Row] = []
        sal_ids = [
            r.get("id", "")
            for r in self.links.sal_by_service.get(sid, [])
            if r.get("location_id") == lid
        ]
        for key, value in (
            *(("service_at_location_id", x) for x in sal_ids),
            ("service_id", sid),
            ("location_id", lid or ""),
        ):
            if value and not rows:
                rows = self.links.schedules.get((key, value), [])
        if not rows:
            return None
        days: dict[int, list[tuple[int, int]]] = defaultdict(list)
        texts: list[str] = []
        for r in rows:
            text = self.clean.text(cell(r, "original_text", "description"), multiline=True)
            if text:
                text = "; ".join(line for line in text.split("\n") if line.strip())
                if text not in texts:
                    texts.append(text)
            freq = r.get("freq", "").upper()
            if freq and freq != "WEEKLY":
                continue
            day_list = opening_hours.read_weekdays(cell(r, "weekday", "byday"))
            o, cl = cell(r, "opens_at"), cell(r, "closes_at")
            if not day_list or not o or not cl:
                continue
            opens, closes = opening_hours.read_clock(o), opening_hours.read_clock(cl)
            if opens is None or closes is None:
                rep.drop("hours", f"{o}-{cl}", "not a time")
                continue
            start, end = opens[0], closes[0]
            if end <= start and not closes[1] and end + 720 > start and end < 720:
                end += 720
                rep.guessed.append(f"closing time {cl!r} read as {opening_hours.hhmm(end)}")
            if end == 0:
                end = 24 * 60
            if start == 24 * 60:
                start = 0
            for d in day_list:
                days[d].append((start, end))
        spec = opening_hours.from_weekly(days)
        if spec:
            return spec
        if texts:
            return "; ".join(texts)
        return None

    def last_verified(self, s: Row, lid: str | None) -> str | None:
        """The latest date the source says the service was checked, never in the future."""
        candidates = [
            to_date(cell(s, "last_modified", "assured_date", "updated_at", "last_verified")),
            self.links.modified.get(s.get("id", "")),
        ]
        dates = [d for d in candidates if d is not None and d <= self.today]
        return max(dates).isoformat() if dates else None


def _statements(notes: list[str], tax: Taxonomy) -> list[str]:
    """The eligibility texts to read: each cell of terms alone ("Men", "Women, Girls":
    groups served, read as "or"), and the cells of prose as one statement, whose
    sentences qualify each other ("Women fleeing violence and their children." then
    "Boys up to age 17 accompanying their mother.": the boys come along; read apart,
    the second would read as a service for anyone up to 17)."""
    terms = [t for t in notes if terms_only(cell_names(t), tax) is not None]
    prose = [t.rstrip(" .") for t in notes if t not in terms]
    return terms + ([". ".join(prose) + "."] if len(prose) > 1 else prose)
