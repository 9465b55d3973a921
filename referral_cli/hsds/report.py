"""What an import did, provider by provider: mapped, guessed, dropped, left out."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from referral_cli.output import json_safe


@dataclass
class ProviderReport:
    """What the import did for one provider."""

    id: str
    hsds_service_id: str
    how: str = "mapped"  # mapped | guessed
    mapped: list[dict[str, Any]] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)

    def drop(self, key: str, value: Any, reason: str) -> None:
        self.dropped.append({"field": key, "value": _short(value), "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "hsds_service_id": self.hsds_service_id,
            "services": self.how,
            "mapped": self.mapped,
            "guessed": self.guessed,
            "dropped": self.dropped,
        }


def _short(value: Any) -> str:
    s = str(value)
    return s if len(s) <= 120 else s[:117] + "..."


@dataclass
class ImportReport:
    """What an import did: tables read, services left out, providers made and
    rejected, terms that mapped to nothing, cells repaired, guesses to review."""

    source: str
    flavour: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    ignored_tables: dict[str, str] = field(default_factory=dict)
    services: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    providers: list[ProviderReport] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unmapped_terms: Counter[str] = field(default_factory=Counter)
    dangling: Counter[str] = field(default_factory=Counter)
    cleaned: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    review: list[dict[str, str]] = field(default_factory=list)
    reach: list[dict[str, Any]] = field(default_factory=list)  # service areas guessed from words
    placeholders: list[dict[str, str]] = field(default_factory=list)  # test records found
    eligibility_not_stated: int = 0
    # imported with a status that takes no referrals (do-not-refer, closed): shown, never listed
    not_referred: list[dict[str, str]] = field(default_factory=list)
    placed: Counter[str] = field(default_factory=Counter)  # no own location: how each was placed
    seconds: float = 0.0

    @property
    def mapped(self) -> int:
        return sum(p.how == "mapped" for p in self.providers)

    @property
    def guessed(self) -> int:
        return sum(p.how == "guessed" for p in self.providers)

    @property
    def dropped_fields(self) -> int:
        return sum(len(p.dropped) for p in self.providers)

    def summary(self) -> str:
        return (
            f"imported {len(self.providers)} providers from {self.services} services: "
            f"{self.mapped} mapped, {self.guessed} guessed, {self.dropped_fields} dropped fields"
        )

    def as_json(self) -> bytes:
        """The report as a JSON file, its text safe for any reader."""
        text = json.dumps(json_safe(self.as_dict()), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.flavour,
            "seconds": round(self.seconds, 2),
            "tables": self.tables,
            "ignored_tables": self.ignored_tables,
            "services": self.services,
            "providers": len(self.providers),
            "mapped": self.mapped,
            "guessed": self.guessed,
            "dropped_fields": self.dropped_fields,
            "skipped_services": self.skipped,
            "rejected_providers": self.rejected,
            "dangling_references": dict(self.dangling),
            "cleaned_cells": dict(self.cleaned),
            "notes": self.notes,
            "review": self.review,
            "reach_guessed": self.reach,
            "placeholders": self.placeholders,
            "eligibility_not_stated": self.eligibility_not_stated,
            "not_referred": self.not_referred,
            "placed_without_own_location": dict(self.placed),
            "unmapped_terms": [
                {"term": term, "services": count}
                for term, count in self.unmapped_terms.most_common()
            ],
            "provider_details": [p.as_dict() for p in self.providers],
        }
