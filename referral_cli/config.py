"""The user's settings file (TOML in the platform's config folder).

Caller details never go here: only the directory to use, a home place, the
default radius, the referring hotline's name and phone, and opt-ins.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from referral_cli.errors import ReferralError
from referral_cli.files import write_atomic
from referral_cli.records.tonight import DEFAULT_REPORT_HOURS
from referral_cli.suggest import did_you_mean

APP_NAME = "referral-cli"


@dataclass(frozen=True)
class Config:
    """The user's settings: the settings file's keys, each with its default."""

    data: str | None = None  # default directory (file or folder)
    home: str | None = None  # place used when a search names none
    radius_km: float = 50.0
    hotline_name: str | None = None  # the referring hotline, printed on slips
    hotline_phone: str | None = None
    online: bool = False  # as --online: online geocoding, reading HSDS API addresses
    stale_days: int = 365
    report_hours: float = DEFAULT_REPORT_HOURS  # an older bed report reads "beds unknown"
    strict_data: bool = False  # refuse a directory with errors instead of leaving them out


MAX_CONFIG_BYTES = 1 << 20  # a settings file is a few lines; more is not one
SETTINGS: tuple[str, ...] = tuple(f.name for f in fields(Config))
_TYPES: dict[str, Any] = {
    "radius_km": float,
    "online": bool,
    "stale_days": int,
    "report_hours": float,
    "strict_data": bool,
}
# Numeric settings outside these bounds break a command (a radius of 0 never
# widens, NaN matches nothing), so they are refused where they are given.
RANGES: dict[str, tuple[float, float]] = {
    "radius_km": (0.1, 20000.0),
    "stale_days": (1, 36500),
    "report_hours": (0.5, 8760.0),
}


def config_path() -> Path:
    override = os.environ.get("REFERRAL_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def cache_dir() -> Path:
    override = os.environ.get("REFERRAL_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def check_key(key: str) -> str:
    if key not in SETTINGS:
        raise ReferralError(f"unknown setting '{key}'{did_you_mean(key, SETTINGS)}")
    return key


def coerce(key: str, value: Any) -> Any:
    """A setting's value in its declared type, or a one-line error."""
    check_key(key)
    kind = _TYPES.get(key, str)
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(value)
            return text in ("true", "yes", "1")
        if kind in (int, float) and isinstance(value, bool):
            raise ValueError(value)
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        raise ReferralError(f"setting '{key}' must be {kind.__name__}, not {value!r}") from None
    return bounded(key, number, f"setting '{key}'") if key in RANGES else number


def bounded(key: str, value: Any, what: str) -> Any:
    """``value`` when finite and within the range of setting ``key``, else an error
    naming ``what`` was given (a setting or an option)."""
    low, high = RANGES[key]
    if not (math.isfinite(value) and low <= value <= high):
        raise ReferralError(f"{what} must be from {low:g} to {high:g}, not {value!r}")
    return value


def load_config() -> Config:
    path = config_path()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe would hang, a device fill memory
            raise ReferralError(f"{path}: the settings file is not a regular file; delete it")
        with path.open("rb") as fh:
            text = fh.read(MAX_CONFIG_BYTES + 1).decode("utf-8-sig")  # Notepad may add a BOM
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferralError(
            f"{path}: cannot read settings ({exc}); fix or delete the file"
        ) from None
    if len(text) > MAX_CONFIG_BYTES:
        raise ReferralError(f"{path}: the settings file is over 1 MiB; fix or delete the file")

    import tomllib  # only when a settings file exists

    try:
        raw = tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per level of nesting
        raise ReferralError(
            f"{path}: cannot read settings (nested too deeply); fix or delete the file"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ReferralError(
            f"{path}: cannot read settings ({exc}); fix or delete the file"
        ) from None
    try:
        return Config(**{k: coerce(k, v) for k, v in raw.items()})
    except ReferralError as exc:
        raise ReferralError(f"{path}: {exc}; fix or delete the file") from None


def save_config(cfg: Config) -> Path:
    """Write the settings file atomically (by tomli-w, so any text round-trips:
    quotes, backslashes, newlines, control characters)."""
    import tomli_w

    values = {
        f.name: getattr(cfg, f.name)
        for f in fields(Config)
        if getattr(cfg, f.name) is not None and getattr(cfg, f.name) != f.default
    }
    path = config_path()
    write_atomic(path, tomli_w.dumps(values).encode("utf-8"), force=True)
    return path
