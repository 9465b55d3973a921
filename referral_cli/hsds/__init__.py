"""Open Referral (HSDS) import and export.

Import reads an HSDS source into canonical tables (:mod:`.read`), links them by
id (:mod:`.links`), and makes one provider per service, or per service and
location (:mod:`.importer`): taxonomy terms become service types through
``hsds_map.yaml`` (:mod:`.mapping`, :mod:`.terms`), text is repaired
(:mod:`.clean`), cells are parsed (:mod:`.fields`, :mod:`.details`,
:mod:`.places`; hours through :mod:`referral_cli.records.hours`), and the validated
providers are written as directory YAML (:mod:`.emit`) with a report of every
guess and drop (:mod:`.report`).

Export (:mod:`.export`) writes HSDS 3.0 tables or JSON from
:meth:`Provider.public_dict` only, so a confidential provider leaves without
street, postal code or coordinates.
"""

from referral_cli.hsds.export import FolderNotEmpty, export_hsds, export_hsds_json, write_export
from referral_cli.hsds.importer import import_hsds, import_hsds_folder
from referral_cli.hsds.report import ImportReport

__all__ = [
    "FolderNotEmpty",
    "ImportReport",
    "export_hsds",
    "export_hsds_json",
    "import_hsds",
    "import_hsds_folder",
    "write_export",
]
