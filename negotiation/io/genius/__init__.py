"""Read and write GENIUS negotiation domains (XML).

GENIUS (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014 [LKBTHJ2014]_) is the Java
environment of the Automated Negotiating Agents Competition (ANAC). A GENIUS *domain* is an XML file
whose root is ``<negotiation_template>``: its ``<utility_space>`` holds an ``<objective>`` tree of
``<issue>`` elements, each *discrete* (``<item value="..."/>`` children), *integer*
(``lowerbound``/``upperbound``) or *real* (a ``<range>`` child). Each party's preferences are a
*profile* (root ``<utility_space>``) next to it: either **linear additive** (``<weight>`` per issue
and an evaluation per value), or, in ANAC 2014, **constraint-based** (``<utility>`` with
``<hyperRectangle>`` constraints). This module maps both onto a
:class:`~negotiation.model.scenario.Scenario`, and writes a scenario back.

The mapping (it reproduces GENIUS's own evaluators; ``clip(x) = min(1, max(0, x))``):

========================  =======================================================================
GENIUS                    here
========================  =======================================================================
discrete issue            discrete issue; the value labels are the level names
integer issue ``[a, b]``  discrete issue with levels ``"a", ..., "b"``
real issue ``[a, b]``     continuous issue (``range``)
issue name                ``label``; the issue ``name`` is an identifier made from it
                          (:func:`issue_identifier`)
discrete evaluation       ``v(x) = e(x) / max_y e(y)`` (0 if that max is below ``1e-5``)
integer evaluator         ``v(x) = clip(offset + slope * (x - lowerbound))``
real evaluator            piecewise-linear points: ``clip(p1 * x + p0)`` (linear), ``p0``
                          (constant), the triangle ``(p0, p1, top p2)`` (triangular)
weights ``w_i``           normalised, ``w_i / s`` with ``s = sum_i w_i``
reservation ``r``         ``r / s``, so that an outcome is acceptable exactly when GENIUS's
                          ``sum_i w_i v_i(x) >= r`` (a :class:`GeniusWarning` when ``s != 1``)
discount factor ``d``     ``d``, read as GENIUS does: ``d <= 0`` or ``d > 1`` means 1 (none)
constraint profile        a points-scored party with no points and one bonus per constraint:
                          ``u(x) = sum_k c_k [x in R_k] / maxutility``
========================  =======================================================================

A constraint (``<hyperRectangle utility="c">``) adds ``c`` (times its ``weight``) when every
``<INCLUDES index min max>`` bound holds, or, with ``<EXCLUDES>`` bounds, when some bound fails
(``c - c [x in box]``: two bonuses); GENIUS divides the sum by ``maxutility`` and caps it at 1,
so the two agree wherever the sum is at most ``maxutility`` (the competition files give the true
maximum there). Nested ``<ufun>`` elements multiply their ``weight``; an aggregation other than
``sum`` cannot be written as bonuses and is refused with a :class:`ScenarioError`.

Which files belong together: a folder holds one domain file (root ``<negotiation_template>``) and
the profile files (root ``<utility_space>``) of its parties; other XML roots (tournament logs)
and files that are not XML at all (the ANAC 2014 ``pareto.xml`` tables) are ignored. When the
domain names its parties (``<agent name=".." utility_space="file.xml"/>``) and those files are
there, they are the parties, in that order and with those names; otherwise every profile in the
folder is a party, in natural file-name order (``util2`` before ``util10``), named from its file
name (``Acquisition-A-prof1.xml`` -> ``"party 1"``, ``ItexvsCypress_Cypress.xml`` ->
``"Cypress"``). A profile refers to the domain's issues by their ``index``; its issue names must
match the domain's.

Security: files are parsed with :mod:`defusedxml` and any document type declaration is refused, so
entity-expansion bombs ("billion laughs") and external entities are rejected with a
:class:`ScenarioError` naming the file; nothing in a file is ever executed or fetched.

References
----------
.. [LKBTHJ2014] Lin et al., "Genius: an integrated environment for supporting the design of generic
   automated negotiators" (2014). Full entry: docs/references.md.
.. [FIABHJ2016] Fujita et al., "The fifth automated negotiating agents competition (ANAC 2014)"
   (2016); the non-linear constraint-based utility spaces. Full entry: docs/references.md.
"""

from negotiation.io.genius.names import issue_identifier
from negotiation.io.genius.read import find_genius_domains, load_genius
from negotiation.io.genius.write import save_genius
from negotiation.io.genius.xml import MAX_FILE_BYTES, MAX_INTEGER_LEVELS, GeniusWarning

__all__ = [
    "GeniusWarning",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_LEVELS",
    "find_genius_domains",
    "issue_identifier",
    "load_genius",
    "save_genius",
]
