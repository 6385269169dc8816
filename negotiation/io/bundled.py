"""The scenarios shipped with the package (``negotiation/scenarios/*.toml``), found by name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from negotiation.errors import ScenarioError

__all__ = ["bundled_scenarios", "resolve"]


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package (``*_evidence.toml`` files hold evidence
    for calibration, not scenarios)."""
    folder = resources.files("negotiation") / "scenarios"
    return sorted(
        p.name[:-5]
        for p in folder.iterdir()
        if p.name.endswith(".toml") and not p.name.endswith("_evidence.toml")
    )


def resolve(source: str | Path) -> Path:
    """The file ``source`` names: a path that exists, else a bundled scenario's name.

    Raises
    ------
    ScenarioError
        Naming ``source`` and listing the bundled scenarios, when it is neither.
    """
    path = Path(source)
    if path.exists():
        return path
    if isinstance(source, str) and "/" not in source and "\\" not in source:
        bundled = (
            resources.files("negotiation") / "scenarios" / f"{source.removesuffix('.toml')}.toml"
        )
        if bundled.is_file():
            return Path(str(bundled))
    raise ScenarioError(
        f"no such scenario file or bundled scenario (bundled: {', '.join(bundled_scenarios())})",
        file=str(source),
    )


#: The name under which callers imported it from ``negotiation.model.loader``.
_resolve = resolve
