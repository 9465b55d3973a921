"""Free text -> structured query: :func:`parse` reads what a volunteer typed
(:mod:`~referral_cli.query.parser`, with :mod:`~referral_cli.query.places` and
:mod:`~referral_cli.query.vocabulary`); :func:`merge` combines it with flags
(:mod:`~referral_cli.query.record`), whose words :func:`resolve_word` reads
(:mod:`~referral_cli.query.flags`)."""

from referral_cli.query.flags import resolve_word
from referral_cli.query.parser import parse
from referral_cli.query.record import Query, merge, understood
from referral_cli.query.vocabulary import vocabulary

__all__ = ["Query", "merge", "parse", "resolve_word", "understood", "vocabulary"]
