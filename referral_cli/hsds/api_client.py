"""Reading an HSDS 3.0 API over the network (only when the user opted in).

Two kinds of API are read the same way: a live one (``GET {base}/services?page=N``
then ``GET {base}/services/{id}``, as the HSDS API reference shapes them) and a
static one written by ``referral publish`` (its ``index.json`` says where each
page and object is). Each services page gives the services' one-to-one fields;
a service whose ``last_modified`` is before ``since`` is not fetched (a live API
is also asked with ``modified_after``; a service without ``last_modified`` is
always fetched: nobody knows it did not change).

Nothing about a caller is ever sent: the requests carry the API's own paths,
page numbers, the service ids it listed and the ``since`` date, with a fixed
User-Agent and no cookies. Every answer is bounded in size, every request in
time, the number of pages by what the API says it has; only ``http`` and
``https`` are read, and a static layout may only name files under the base URL.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from referral_cli import __version__
from referral_cli.errors import ReferralError

MAX_BYTES = 64 * 1024 * 1024  # one answer
MAX_PAGES = 100_000
PER_PAGE = 100
TIMEOUT = 30.0
Progress = Callable[[str, int, int], None]


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class Client:
    """GET requests under one base URL, each answer JSON (or NDJSON) bytes."""

    def __init__(self, base: str, timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ReferralError(f"{base}: give an http:// or https:// address of an HSDS API")
        self.base = base.rstrip("/") + "/"
        self.timeout = timeout
        self.answers: list[tuple[str, bytes]] = []  # (URL, answer) of every request, in order

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        """``path`` under the base URL (refused when it would lead elsewhere)."""
        url = urllib.parse.urljoin(self.base, path)
        if not url.startswith(self.base):
            raise ReferralError(f"{self.base}: the API names {path!r}, outside its address")
        return url + ("?" + urllib.parse.urlencode(params) if params else "")

    def get(self, path: str, params: dict[str, str] | None = None) -> bytes:
        url = self.url(path, params)
        request = urllib.request.Request(
            url, headers={"User-Agent": f"referral-cli/{__version__}", "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                data: bytes = answer.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise ReferralError(f"{url}: the API answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ReferralError(f"{url}: could not read it ({reason}); check the address") from None
        if len(data) > MAX_BYTES:
            raise ReferralError(f"{url}: answer over {MAX_BYTES // 2**20} MiB; not read")
        self.answers.append((url, data))
        return data

    def json(self, path: str, params: dict[str, str] | None = None) -> Any:
        data = self.get(path, params)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ReferralError(f"{self.url(path, params)}: not JSON") from None


def _layout(client: Client) -> dict[str, str] | None:
    """A static publication's layout (from its ``index.json``), or ``None`` for a live API."""
    try:
        index = client.json("index.json")
    except ReferralError:
        return None
    layout = index.get("referral_cli", {}).get("layout") if isinstance(index, dict) else None
    if not isinstance(layout, dict) or not all(isinstance(v, str) for v in layout.values()):
        return None
    if not {"services", "services/{id}"} <= set(layout):
        return None
    return {str(k): v for k, v in layout.items()}


def _changed(entry: Any, since: dt.date | None) -> bool:
    if since is None:
        return True
    stamp = entry.get("last_modified") if isinstance(entry, dict) else None
    if not isinstance(stamp, str):
        return True
    try:
        return dt.date.fromisoformat(stamp[:10]) >= since
    except ValueError:
        return True


def _entries(
    client: Client, layout: dict[str, str] | None, since: dt.date | None
) -> Iterator[dict[str, Any]]:
    """The entries of every services page, in order."""
    page, total = 1, 1
    while page <= total and page <= MAX_PAGES:
        if layout is not None:
            doc = client.json(layout["services"].replace("{page}", str(page)))
        else:
            params = {"page": str(page), "per_page": str(PER_PAGE)}
            if since is not None:
                params["modified_after"] = f"{since.isoformat()}T00:00:00Z"
            doc = client.json("services", params)
        if not isinstance(doc, dict) or not isinstance(doc.get("contents"), list):
            raise ReferralError(f"{client.base}: services page {page} has no 'contents' list")
        yield from (e for e in doc["contents"] if isinstance(e, dict))
        pages = doc.get("total_pages")
        total = pages if isinstance(pages, int) and not isinstance(pages, bool) else page
        if doc.get("last_page") is True:
            break
        page += 1


def fetch_services(
    base: str, since: dt.date | None = None, progress: Progress | None = None
) -> tuple[list[dict[str, Any]], Client]:
    """Every service of the API at ``base`` (only those modified on or after
    ``since``), fully nested, in the order its pages list them."""
    client = Client(base)
    layout = _layout(client)
    wanted = [e for e in _entries(client, layout, since) if _changed(e, since)]
    services = []
    for n, entry in enumerate(wanted, 1):
        sid = entry.get("id")
        if not isinstance(sid, str) or not sid:
            raise ReferralError(f"{client.base}: a services page lists a service without an id")
        quoted = urllib.parse.quote(sid, safe="")
        path = layout["services/{id}"].replace("{id}", quoted) if layout else f"services/{quoted}"
        doc = client.json(path)
        if not isinstance(doc, dict):
            raise ReferralError(f"{client.url(path)}: not a service object")
        services.append(doc)
        if progress is not None:
            progress("fetching services", n, len(wanted))
    return services, client
