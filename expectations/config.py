"""Gate settings: ``expectations/gate_config.yml``, overridable per run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent / "gate_config.yml"


@dataclass(frozen=True)
class GateConfig:
    """Thresholds of the quality gate (see gate_config.yml for what each one means)."""

    volume_band: float = 0.5
    max_invalid_postal_code_share: float = 0.05
    failing_rows_shown: int = 20
    data_docs_runs_kept: int = 10

    def __post_init__(self) -> None:
        if not 0 <= self.volume_band:
            raise ValueError(f"volume_band must be >= 0, got {self.volume_band}")
        if not 0 <= self.max_invalid_postal_code_share <= 1:
            raise ValueError(
                "max_invalid_postal_code_share must be within [0, 1], got "
                f"{self.max_invalid_postal_code_share}"
            )
        if not 0 <= self.failing_rows_shown <= 200:
            raise ValueError(
                f"failing_rows_shown must be within [0, 200] (GX lists at most 200 rows), "
                f"got {self.failing_rows_shown}"
            )
        if self.data_docs_runs_kept < 1:
            raise ValueError(f"data_docs_runs_kept must be >= 1, got {self.data_docs_runs_kept}")

    @classmethod
    def load(
        cls,
        path: Path | str | None = DEFAULT_CONFIG_PATH,
        overrides: Mapping[str, Any] | None = None,
    ) -> GateConfig:
        """Defaults, then the YAML file (if ``path``), then ``overrides`` (None values ignored).

        Unknown keys are an error (a typo must not silently keep the default).
        """
        values: dict[str, Any] = {}
        if path is not None:
            values.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        return cls().with_overrides(values)

    def with_overrides(self, overrides: Mapping[str, Any]) -> GateConfig:
        """A copy with some settings replaced (values coerced to the field's type)."""
        known = {f.name: f for f in fields(self)}
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ValueError(f"unknown gate setting(s): {', '.join(unknown)}; known: {sorted(known)}")
        coerce = {"volume_band": float, "max_invalid_postal_code_share": float,
                  "failing_rows_shown": int, "data_docs_runs_kept": int}
        return replace(self, **{k: coerce[k](v) for k, v in overrides.items()})
