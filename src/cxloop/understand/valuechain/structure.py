"""The structure of a PLS path model: blocks of indicators, their modes and the inner paths.

Pure data with checks: a :class:`PathModelSpec` says which manifest variables (columns) measure
each latent variable (construct), whether a block is reflective (Mode A) or formative (Mode B),
and which constructs point at which. The paths must form a directed acyclic graph; the order of
:attr:`PathModelSpec.constructs` is a topological order of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cxloop.errors import UsageError

Mode = Literal["A", "B"]
MODES: tuple[Mode, ...] = ("A", "B")


@dataclass(frozen=True)
class PathModelSpec:
    """Blocks, modes and paths of a PLS path model.

    Parameters
    ----------
    blocks
        construct name → the columns that measure it (at least one each; a column belongs to
        one block only).
    paths
        ``(from, to)`` pairs between constructs; no cycles, no self-loops.
    modes
        construct name → ``"A"`` (reflective, the default) or ``"B"`` (formative).
    """

    blocks: Mapping[str, Sequence[str]]
    paths: Sequence[tuple[str, str]]
    modes: Mapping[str, Mode] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problem = structure_problem(self.blocks, self.paths, self.modes)
        if problem is not None:
            message, where = problem
            raise UsageError(f"{'.'.join(map(str, where))}: {message}")

    @property
    def constructs(self) -> list[str]:
        """Construct names in a topological order of the paths (ties in block order)."""
        names = list(self.blocks)
        done: list[str] = []
        while len(done) < len(names):
            for name in names:
                if name not in done and all(f in done for f, t in self.paths if t == name):
                    done.append(name)
                    break
        return done

    def mode(self, construct: str) -> Mode:
        """The mode of a construct's block (``"A"`` unless set)."""
        return self.modes.get(construct, "A")

    def predecessors(self, construct: str) -> list[str]:
        """The constructs with a path into ``construct``, in topological order."""
        sources = {f for f, t in self.paths if t == construct}
        return [c for c in self.constructs if c in sources]

    @property
    def endogenous(self) -> list[str]:
        """Constructs with at least one path into them, in topological order."""
        return [c for c in self.constructs if self.predecessors(c)]

    @property
    def columns(self) -> list[str]:
        """Every manifest variable, block by block."""
        return [column for block in self.blocks.values() for column in block]


def find_cycle(names: Sequence[str], paths: Sequence[tuple[str, str]]) -> list[str] | None:
    """A cycle of the directed graph as a list of names (first repeated last), or ``None``."""
    successors: dict[str, list[str]] = {n: [] for n in names}
    for source, target in paths:
        successors.setdefault(source, []).append(target)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in successors.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for name in successors:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def structure_problem(
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    modes: Mapping[str, str],
) -> tuple[str, tuple[str | int, ...]] | None:
    """The first thing wrong with a model's structure, or ``None``.

    Returns the complaint and where it is, as a key path into the model file
    (``("paths", 3)``, ``("blocks", "Quality")``).
    """
    if not blocks:
        return "the model has no blocks", ("blocks",)
    owner: dict[str, str] = {}
    for name, columns in blocks.items():
        if not columns:
            return f"block {name!r} has no indicators", ("blocks", name)
        for i, column in enumerate(columns):
            if column in owner:
                message = f"column {column!r} is already in block {owner[column]!r}"
                return message, ("blocks", name, i)
            owner[column] = name
    for name, mode in modes.items():
        if name not in blocks:
            return f"{name!r} is not a block", ("modes", name)
        if mode not in MODES:
            return f"mode {mode!r}: expected A or B", ("modes", name)
    if not paths:
        return "the model has no paths", ("paths",)
    seen: set[tuple[str, str]] = set()
    for i, (source, target) in enumerate(paths):
        for end in (source, target):
            if end not in blocks:
                return f"{end!r} is not a block", ("paths", i)
        if source == target:
            return f"{source} -> {target} points at itself", ("paths", i)
        if (source, target) in seen:
            return f"{source} -> {target} is given twice", ("paths", i)
        seen.add((source, target))
        cycle = find_cycle(list(blocks), list(paths[: i + 1]))
        if cycle:
            return "the paths form a cycle: " + " -> ".join(cycle), ("paths", i)
    linked = {end for path in paths for end in path}
    for name in blocks:
        if name not in linked:
            return f"block {name!r} is on no path", ("blocks", name)
    return None
