"""The dashboard's dated parameters (age bands, targets of the shares) and the status of a share.

The values live in `canbo/dashboard/parameters/` in the regulations' YAML format and are read by
the regulations' loader, always as of the date of the figures. The regulations catalogue
(`canbo/regulations/targets.py`) targets narrower groups than the whole cadre corps, so the
dashboard carries its own reference targets, each with its source and a "to confirm" flag.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from canbo.regulations.params import (
    ParameterNotInForce,
    ParameterSet,
    ParameterValue,
    load_parameters,
)

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"

# Share indicator → parameter holding its target.
TARGET_PARAMETERS = {
    "women": "targets.women_share",
    "under_young": "targets.under_40_share",
    "under_youth": "targets.under_35_share",
    "minorities": "targets.minorities_share",
    "heads_non_local": "targets.non_local_heads_share",
}


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"

    LABELS = {
        MET: _("Đạt"),
        NOT_MET: _("Chưa đạt"),
        NO_TARGET: _("Không có chỉ tiêu"),
        NO_DATA: _("Không có số liệu"),
    }
    BADGES = {MET: "success", NOT_MET: "danger", NO_TARGET: "secondary", NO_DATA: "light"}


@lru_cache(maxsize=1)
def dashboard_parameters() -> ParameterSet:
    return load_parameters(PARAMETERS_DIR)


def parameter(name: str, on: dt.date) -> ParameterValue:
    return dashboard_parameters().at(name, on)


@dataclass(frozen=True)
class Target:
    value: float
    source: ParameterValue

    @property
    def reference(self) -> str:
        return "; ".join(str(r) for r in self.source.references)

    @property
    def to_confirm(self) -> bool:
        return self.source.to_confirm

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            **{k: v for k, v in self.source.as_dict().items() if k != "value"},
        }


def target_for(indicator_key: str, on: dt.date) -> Target | None:
    """The least share counting as met for `indicator_key` on `on`, or None without a target."""
    name = TARGET_PARAMETERS.get(indicator_key)
    if name is None:
        return None
    try:
        value = parameter(name, on)
    except ParameterNotInForce:
        return None
    return Target(value.value, value)


def status_of(numerator: int, denominator: int, target: Target | None) -> str:
    if not denominator:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    # On counts, in integers: numerator / denominator >= target (targets have at most 4 decimals).
    return (
        Status.MET
        if numerator * 10_000 >= round(target.value * 10_000) * denominator
        else Status.NOT_MET
    )
