"""Find GENIUS domains and read one (the domain file and its parties' profiles) into a Scenario."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from negotiation.errors import ScenarioError
from negotiation.io.genius.domain import _Domain, _read_domain
from negotiation.io.genius.names import (
    _GENERIC_OBJECTIVE_NAMES,
    _domain_title,
    _natural_key,
    _party_name,
)
from negotiation.io.genius.profiles import _read_profile
from negotiation.io.genius.xml import _load_xml
from negotiation.io.geniusweb import load_geniusweb  # a folder of JSON is GeniusWeb's
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

__all__ = ["find_genius_domains", "load_genius"]


def _is_domain_file(path: Path) -> bool:
    """Cheap test: does the file's root element look like ``<negotiation_template>``?"""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return re.search(rb"<\s*negotiation_template\b", head) is not None


def find_genius_domains(folder: str | Path) -> list[Path]:
    """Every GENIUS domain file under ``folder`` (recursively), in natural path order.

    A domain file is an ``.xml`` file whose root element is ``<negotiation_template>`` (found by
    looking at the start of the file; nothing is parsed).

    Examples
    --------
    >>> find_genius_domains("/nonexistent")
    []
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() == ".xml" and p.is_file() and _is_domain_file(p)
    ]
    return sorted(found, key=lambda p: [_natural_key(part) for part in p.relative_to(folder).parts])


def _folder_files(folder: Path) -> dict[Path, Element]:
    """Parse every XML file of a folder (not recursively); non-XML files are left out."""
    out = {}
    for p in sorted(folder.iterdir(), key=_natural_key):
        if p.is_file() and p.suffix.lower() == ".xml":
            root = _load_xml(p, skip_non_xml=True)
            if root is not None:
                out[p] = root
    return out


def _resolve_profiles(
    domain: _Domain, roots: Mapping[Path, Element], domains: Sequence[Path]
) -> list[tuple[Path, str | None]]:
    """The profile files of a domain (and party names when the domain gives them)."""
    folder = domain.path.parent
    if domain.agents:
        files = [(folder / Path(f).name, name) for name, f in domain.agents]
        if all(p in roots and roots[p].tag == "utility_space" for p, _ in files):
            names = [n for _, n in files]
            ok = all(names) and len(set(names)) == len(names)
            return [(p, n if ok else None) for p, n in files]
    candidates = [p for p, r in roots.items() if r.tag == "utility_space"]
    if len(domains) > 1:
        base = _domain_title(domain.path.stem).lower()
        mine = [p for p in candidates if p.stem.lower().startswith(base)]
        if not mine:
            raise ScenarioError(
                f"the folder holds several domains ({[d.name for d in domains]}) and no profile "
                f"file name starts with {base!r}; pass the profiles explicitly",
                file=str(domain.path),
            )
        candidates = mine
    return [(p, None) for p in sorted(candidates, key=_natural_key)]


# -- loading ---------------------------------------------------------------------------------
def load_genius(
    path: str | Path,
    *,
    profiles: Sequence[str | Path] | None = None,
    names: Sequence[str] | None = None,
) -> Scenario:
    """Read a GENIUS domain and its parties' profiles into a :class:`Scenario`.

    Parameters
    ----------
    path
        A domain file (root ``<negotiation_template>``), or a folder holding one domain file and
        the profile files of its parties.
    profiles
        The profile files to use (paths, or names in the domain's folder), in party order.
        Default: the files the domain's ``<agent>`` elements name, if they are all there, else
        every profile file in the folder (natural file-name order).
    names
        Party names, one per profile. Default: the ``<agent>`` names, else names made from the
        file names.

    Returns
    -------
    Scenario
        One issue per GENIUS issue, one party per profile; see the module docstring for the
        exact mapping of weights, evaluations, reservation values, discount factors and
        constraint-based (ANAC 2014) profiles.

    Raises
    ------
    ScenarioError
        Naming the file (and the line, for malformed XML) of the first problem: a missing or
        malformed file, a refused DTD/entity, a profile that names an issue the domain does not
        have or misses a weight or an evaluation, a constraint that cannot be written as bonuses.

    Notes
    -----
    Warnings (:class:`GeniusWarning`) report what was read in a noteworthy way: weights that do
    not sum to 1, a discount factor outside ``(0, 1]``, a value evaluated twice.

    Examples
    --------
    >>> from pathlib import Path
    >>> import negotiation
    >>> folder = Path(negotiation.__file__).parents[1] / "tests/formats/fixtures/discrete"
    >>> s = load_genius(folder) if folder.is_dir() else None
    >>> s is None or s.party_names == ("buyer", "seller")
    True
    """
    path = Path(path)
    try:
        return _load_genius(path, profiles, names)
    except RecursionError:
        raise ScenarioError(
            "elements nested too deeply (thousands of levels) to read", file=str(path)
        ) from None
    except ScenarioError as err:
        raise err.in_file(str(path)) from None


def _load_genius(
    path: Path, profiles: Sequence[str | Path] | None, names: Sequence[str] | None
) -> Scenario:
    if not path.exists():
        raise ScenarioError("no such file or folder", file=str(path))
    if path.is_dir():
        roots = _folder_files(path)
        domains = [p for p, r in roots.items() if r.tag == "negotiation_template"]
        if not domains:
            if profiles is None and any(p.suffix.lower() == ".json" for p in path.iterdir()):
                return load_geniusweb(path, names=names)  # a GeniusWeb (JSON) folder
            raise ScenarioError(
                "no GENIUS domain file (an .xml file with root <negotiation_template>) in this folder",
                file=str(path),
            )
        if len(domains) > 1:
            raise ScenarioError(
                f"the folder holds several domain files {[d.name for d in domains]}; pass one of them",
                file=str(path),
            )
        domain_path = domains[0]
    else:
        domain_path = path
        root = _load_xml(path)
        if root.tag != "negotiation_template":
            _read_domain(root, path)  # raises the explanatory error
        roots = _folder_files(path.parent) if profiles is None else {path: root}
        roots[path] = root
        domains = [p for p, r in roots.items() if r.tag == "negotiation_template"]
    domain = _read_domain(roots[domain_path], domain_path)
    folder = domain_path.parent
    if profiles is not None:
        chosen: list[tuple[Path, str | None]] = []
        for p in profiles:
            p = Path(p)
            full = p if p.is_absolute() or p.exists() else folder / p
            if not full.is_file():
                raise ScenarioError(f"missing profile file {str(p)!r}", file=str(domain_path))
            chosen.append((full, None))
    else:
        chosen = _resolve_profiles(domain, roots, domains)
    if not chosen:
        raise ScenarioError(
            "no profile files (root <utility_space>) next to the domain: a scenario needs its parties",
            file=str(domain_path),
        )
    if names is not None:
        names = list(names)
        if len(names) != len(chosen):
            raise ScenarioError(
                f"{len(names)} party names for {len(chosen)} profiles", file=str(domain_path)
            )
    else:
        derived = [n or _party_name(p.stem, domain_path.stem) for p, n in chosen]
        dupes = {n for n in derived if derived.count(n) > 1}
        names = [p.stem if n in dupes else n for (p, _), n in zip(chosen, derived, strict=True)]
    parties = []
    for (p, _), name in zip(chosen, names, strict=True):
        root = roots.get(p)
        if root is None:
            root = _load_xml(p)
        parties.append(Party(name=name, **_read_profile(root, p, domain)))
    if domain.objective_name.lower() not in _GENERIC_OBJECTIVE_NAMES:
        title = domain.objective_name
    elif path.is_dir():
        title = path.resolve().name
    else:
        title = _domain_title(domain_path.stem)
    description = domain.description or (
        f"GENIUS domain {domain_path.name} with the profiles "
        + ", ".join(f"{p.name} ({n})" for (p, _), n in zip(chosen, names, strict=True))
    )
    return Scenario(
        name=title,
        issues=tuple(gi.to_issue() for gi in domain.issues),
        parties=tuple(parties),
        description=description,
        sources=(str(domain_path), *(str(p) for p, _ in chosen)),
        file=str(domain_path),
    )
