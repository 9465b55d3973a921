"""referral-cli: directory and referral tool for local anti-trafficking care networks."""

__version__ = "0.2.0"
