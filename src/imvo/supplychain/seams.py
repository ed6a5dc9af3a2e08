"""What other apps may use of the supply chain besides its models.

- risk reads a company's processed supplier list (`supplier_rows`, typed rows),
  parties many companies' at once (`supplier_rows_by_organisation`),
  the current disclosure versions those rows come from and the rows of one
  version (`current_version_ids`, `current_version_ids_by_organisation`, `version_supplier_rows`: the scan is stored per
  version, on `DisclosureVersion.risk_scan`), and reads a supplier file with the same table reader and header names
  (`read_table`, `recognise_headers`);
- complaints search the public production-location list for a complainant
  naming their workplace (`public_facility_search`) and find the members linked
  to a location to pass a complaint on (`organisations_linked_to_facility`,
  confidential: secretariat-side code only);
- the public figures other apps derive from members' sourcing (the risk
  section of the yearly report) hold the same disclosure rule as the public
  list: `disclosure_threshold` is the covenant's K;
- joint action shows a member how many other members source at its facilities
  as the shared-facilities page does (`others_figure`, `others_rank`: "1 to K-2"
  below K, never the exact small count);
- the yearly report and joint action name countries (`country_name`: the
  platform's one display name, `imvo.core.countries.display_name`).

Everything not named here is the supply chain's own (other lanes rewrite its
insides; this module is the promise that stays).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from imvo.core.countries import display_name as country_name
from imvo.covenants.models import Covenant, Organisation
from imvo.supplychain.parsing import MAX_CELL_CHARS, ParseError, read_table, recognise_headers
from imvo.supplychain.public import public_facility_search
from imvo.supplychain.publication import others_figure, others_rank, policy_for
from imvo.supplychain.services import (
    current_versions_by_organisation,
    current_versions_for,
    organisations_linked_to_facility,
    supply_chain_for,
    supply_chains_for,
    version_rows,
)

__all__ = [
    "MAX_CELL_CHARS",
    "ParseError",
    "SupplierRow",
    "country_name",
    "current_version_ids",
    "current_version_ids_by_organisation",
    "disclosure_threshold",
    "organisations_linked_to_facility",
    "others_figure",
    "others_rank",
    "public_facility_search",
    "read_table",
    "recognise_headers",
    "supplier_rows",
    "supplier_rows_by_organisation",
    "version_supplier_rows",
]


@dataclass(frozen=True)
class SupplierRow:
    """One valid row of an organisation's processed supplier list."""

    row_id: int
    facility_id: int | None  # the registry's facility the row is linked to, if any
    name: str
    address: str
    country: str  # ISO 3166-1 alpha-2
    sector: str
    product: str
    workers: int | None
    year: int


def supplier_rows(
    organisation: Organisation, covenant: Covenant | None = None, year: int | None = None
) -> list[SupplierRow]:
    """The organisation's latest processed supplier list (the current list of the
    given year, or of the most recent year with one), valid rows only."""
    return [SupplierRow(**r) for r in supply_chain_for(organisation, covenant=covenant, year=year)]


def supplier_rows_by_organisation(
    organisation_ids: Iterable[int], covenant: Covenant | None = None
) -> dict[int, list[SupplierRow]]:
    """`supplier_rows` of many organisations at once (two queries however many):
    organisation id -> rows; one with no processed list is not in it."""
    found = supply_chains_for(organisation_ids, covenant=covenant)
    return {org: [SupplierRow(**r) for r in rows] for org, rows in found.items()}


def current_version_ids(
    organisation: Organisation, covenant: Covenant | None = None, year: int | None = None
) -> list[int]:
    """The current disclosure versions `supplier_rows` reads (one per covenant the
    organisation disclosed in for that year; none when it disclosed nothing)."""
    return current_versions_for(organisation, covenant=covenant, year=year)


def current_version_ids_by_organisation(
    organisation_ids: Iterable[int], covenant: Covenant | None = None
) -> dict[int, list[int]]:
    """`current_version_ids` of many organisations at once (one query however many):
    organisation id -> version ids; one that disclosed nothing is not in it."""
    return current_versions_by_organisation(organisation_ids, covenant=covenant)


def version_supplier_rows(version_id: int) -> list[SupplierRow]:
    """The valid rows of one disclosure version (current or earlier)."""
    return [SupplierRow(**r) for r in version_rows(version_id)]


def disclosure_threshold(covenant: Covenant | int) -> int:
    """K: the fewest disclosing members behind any public figure in this covenant
    (`DisclosurePolicy.min_members`, the public production-location list's rule)."""
    return policy_for(covenant).min_members
