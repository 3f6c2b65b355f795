"""How the drawing exporters (HTML, GEXF) show the graph: colours, shapes, labels, sizes, positions.

Colours and shapes are data, in the ontology folder's ``style.json``; class and relation labels
come from the ontology (``kg.ttl``); a class or relation the style file does not list is drawn
in its default colour.  Sizes grow with a node's degree (:func:`node_size`); positions
come from :func:`layout`, a seeded force-directed layout fast enough for thousands of nodes.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import ontology
from ..errors import OntologyError
from ..ontology import Ontology

DOCUMENT = "Document"

#: vis-network shapes that draw the label outside the shape, so that ``size`` applies.
SHAPES = frozenset({"dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon"})
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class ClassStyle:
    name: str
    label: str
    color: str  # "#rrggbb"
    shape: str  # a vis-network shape, see SHAPES


@dataclass(frozen=True)
class RelationStyle:
    name: str
    label: str
    color: str
    dashes: bool = False


@dataclass(frozen=True)
class Style:
    classes: dict[str, ClassStyle]
    relations: dict[str, RelationStyle]
    default_class: ClassStyle
    default_relation: RelationStyle
    onto: Ontology
    #: Colours for the values of a category that has none of its own (the operators on the
    #: launch timeline of graph.html), in order of use; ``other`` past the list, ``none`` for no value.
    palette: tuple[str, ...] = ()
    palette_other: str = "#9e9e9e"
    palette_none: str = "#d0d0d0"

    def for_class(self, cls: str) -> ClassStyle:
        """The style of ``cls``; a class style.json does not list gets the default colour and its own label."""
        return self.classes.get(cls) or ClassStyle(cls, self.onto.class_label(cls), self.default_class.color,
                                                   self.default_class.shape)

    def for_relation(self, relation: str) -> RelationStyle:
        """The style of ``relation``; one style.json does not list gets the default colour and its label."""
        return self.relations.get(relation) or RelationStyle(
            relation, self.label(relation), self.default_relation.color, self.default_relation.dashes)

    def label(self, relation: str) -> str:
        """What an edge is called on screen: the ontology label ("operated by"), or the style file's."""
        rel = self.onto.relations.get(relation)
        if rel is not None:
            return rel.label
        listed = self.relations.get(relation)
        return listed.label if listed is not None else relation


def _entry(path: Path, where: str, raw: object, need_shape: bool) -> tuple[str, str, bool]:
    if not isinstance(raw, dict):
        raise OntologyError(f"{path}: {where} must be an object")
    color = raw.get("color")
    if not isinstance(color, str) or not _COLOR.match(color):
        raise OntologyError(f"{path}: {where}: color must be '#rrggbb', not {color!r}")
    shape = raw.get("shape", "dot")
    if need_shape and shape not in SHAPES:
        raise OntologyError(f"{path}: {where}: shape {shape!r} is not one of {', '.join(sorted(SHAPES))}")
    return color.lower(), shape, bool(raw.get("dashes", False))


def load_style(onto: Ontology | None = None) -> Style:
    """The ``style.json`` of an ontology folder (default: kg's own), read and checked once."""
    onto = onto or ontology.load()
    style = onto.__dict__.get("_style")
    if style is None:
        style = onto.__dict__["_style"] = _read_style(onto)
    return style


def _read_style(onto: Ontology) -> Style:
    path = onto.file("style.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: style file missing") from exc
    except json.JSONDecodeError as exc:
        raise OntologyError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the style file: {exc}") from exc
    if not isinstance(data, dict):
        raise OntologyError(f"{path}: expected a JSON object with classes and relations")
    classes: dict[str, ClassStyle] = {}
    for name, raw in sorted((data.get("classes") or {}).items()):
        color, shape, _ = _entry(path, f"classes.{name}", raw, True)
        classes[name] = ClassStyle(name, onto.class_label(name), color, shape)
    relations: dict[str, RelationStyle] = {}
    for name, raw in sorted((data.get("relations") or {}).items()):
        color, _, dashes = _entry(path, f"relations.{name}", raw, False)
        rel = onto.relations.get(name)
        label = rel.label if rel is not None else str(raw.get("label") or name)
        relations[name] = RelationStyle(name, label, color, dashes)
    color, shape, _ = _entry(path, "default_class", data.get("default_class", {"color": "#aaaaaa"}), True)
    default_class = ClassStyle("Entity", onto.class_label("Entity"), color, shape)
    color, _, dashes = _entry(path, "default_relation", data.get("default_relation", {"color": "#848484"}), False)
    palette = data.get("palette") or {}
    colors = tuple(_entry(path, f"palette.colors[{i}]", {"color": c}, False)[0]
                   for i, c in enumerate(palette.get("colors") or []))
    other = _entry(path, "palette.other", {"color": palette.get("other", "#9e9e9e")}, False)[0]
    none = _entry(path, "palette.none", {"color": palette.get("none", "#d0d0d0")}, False)[0]
    return Style(classes, relations, default_class, RelationStyle("", "", color, dashes), onto, colors, other, none)


def rgb(color: str) -> tuple[int, int, int]:
    """``"#d62728"`` -> ``(214, 39, 40)``."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def node_size(degree: int) -> float:
    """Node size in pixels: 10 for an isolated node, growing with the square root of the degree, at most 50."""
    return round(min(50.0, 10.0 + 4.0 * math.sqrt(max(degree, 0))), 2)


# ------------------------------------------------------------------------------------------ layout
def layout(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 7,
    iterations: int | None = None,
    scale: float = 60.0,
    remember: bool = True,
) -> dict[Hashable, tuple[float, float]]:
    """Seeded force-directed positions (pixels, centred on 0, rounded to 0.1) for ``nodes``.

    A Fruchterman-Reingold layout made fast with a grid (a particle-mesh scheme):
    far-away nodes repel each other as cell masses (cell to cell), nearby cells act
    through their centroids, and only pairs closer than 0.75 edge length repel pair
    by pair.  Edges attract; a spring towards the centre keeps components and isolated
    nodes at the rim of the drawing instead of far away.  The cost of an iteration is
    about linear in nodes + edges: 5,000 nodes take 1.5-2.5 s, where networkx's
    ``forceatlas2_layout`` takes minutes (125 s at 50 iterations) and ``spring_layout``
    needs scipy beyond 500 nodes.

    The result depends only on the order of ``nodes``, the edges and ``seed``: callers
    pass nodes sorted, so the positions do not depend on insertion order.  ``remember=False``
    is for a small side drawing (graph.html's overview): it is neither looked up nor kept, so
    the layout of the whole graph stays the one remembered for the next exporter and build.
    """
    index = {n: i for i, n in enumerate(nodes)}
    n = len(index)
    if n == 0:
        return {}
    pairs = sorted({(index[u], index[v]) for u, v in edges if u in index and v in index and u != v})
    E = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    rounds = iterations if iterations is not None else (120 if n <= 3000 else 80)
    if remember:
        pos = _cached_layout(n, E, seed, rounds)
    else:
        pos = _force_layout(n, E, seed, rounds)
        pos = pos - pos.mean(axis=0)
    return {node: (round(float(pos[i, 0]) * scale, 1), round(float(pos[i, 1]) * scale, 1))
            for node, i in index.items()}


_LAST_LAYOUT: dict[tuple, np.ndarray] = {}
#: Where the layout of the last build is kept on disk (see :func:`kept_layouts`), if anywhere.
_STORE: list[Path] = []


@contextlib.contextmanager
def kept_layouts(directory: Path | None) -> Iterator[None]:
    """Within this block, a layout is also looked up in (and saved to) ``directory``.

    The layout is a pure function of the nodes, edges, seed and iterations, saved with that
    key, so a build that changes no edge (a reworded sentence, a new piece of evidence, a
    fixed typo) takes the last build's positions instead of spending a second or more
    laying out the graph again, and its output is the same as a build from scratch.
    """
    if directory is None:
        yield
        return
    _STORE.append(Path(directory))
    try:
        yield
    finally:
        _STORE.pop()


def _cached_layout(n: int, E: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """:func:`_force_layout`, centred, remembered for the last input (in memory, and on disk
    inside :func:`kept_layouts`): the GEXF and HTML exports of one build lay out the same
    nodes and edges, and the second one reuses the first's."""
    key = (n, hashlib.sha256(E.tobytes()).hexdigest(), seed, iterations)
    if key not in _LAST_LAYOUT:
        pos = _load_layout(key)
        if pos is None:
            pos = _force_layout(n, E, seed, iterations)
            pos = pos - pos.mean(axis=0)
            _save_layout(key, pos)
        _LAST_LAYOUT.clear()
        _LAST_LAYOUT[key] = pos
    return _LAST_LAYOUT[key]


@lru_cache(maxsize=1)
def _code_version() -> str:
    """This file and numpy: a change to the layout code never reuses an old layout."""
    return hashlib.sha256(Path(__file__).read_bytes() + np.__version__.encode()).hexdigest()[:16]


def _key_text(key: tuple) -> str:
    return ":".join(map(str, (_code_version(), *key)))


def _load_layout(key: tuple) -> np.ndarray | None:
    if not _STORE:
        return None
    try:
        with np.load(_STORE[-1] / "layout.npz", allow_pickle=False) as saved:
            if str(saved["key"]) == _key_text(key) and saved["pos"].shape == (key[0], 2):
                return saved["pos"]
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        pass  # none yet, torn or foreign: lay the graph out afresh
    return None


def _save_layout(key: tuple, pos: np.ndarray) -> None:
    """Keep the layout for the next build (one file, replaced whole; a failure only costs time next build)."""
    if not _STORE:
        return
    directory = _STORE[-1]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".layout.", suffix=".npz", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, key=np.array(_key_text(key)), pos=pos)
            os.replace(tmp, directory / "layout.npz")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for stale in directory.glob(".layout.*.npz"):  # left by a build that was killed
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _force_layout(n: int, E: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    k = 1.0  # ideal edge length
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * k
    pos = rng.uniform(-side / 2, side / 2, (n, 2))
    if n == 1:
        return np.zeros((1, 2))
    g = int(min(40, max(4, math.sqrt(n) / 3)))  # grid cells per side
    temperature = side / 4
    cooling = 0.005 ** (1 / max(iterations - 1, 1))
    near_cut = 0.75 * k
    gravity = 2.0 * k  # a spring to the centre: a uniform disc in equilibrium, outliers at its rim
    idx = np.arange(n)
    shift = np.int64(1 << 21)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        # -- grid over the central 98 % of the nodes; outliers fall into the border cells
        lo = np.percentile(pos, 1, axis=0)
        width = max(float((np.percentile(pos, 99, axis=0) - lo).max()), 1e-6) / g
        cell = np.clip(np.floor((pos - lo) / width).astype(np.int64), 0, g - 1)
        cid = cell[:, 0] * g + cell[:, 1]
        mass = np.bincount(cid, minlength=g * g).astype(float)
        sx = np.bincount(cid, pos[:, 0], g * g)
        sy = np.bincount(cid, pos[:, 1], g * g)
        # -- far field: occupied cells push every non-adjacent cell, mass from its centroid
        occ = np.nonzero(mass)[0]
        cen = np.c_[sx[occ], sy[occ]] / mass[occ, None]
        dd = cen[:, None, :] - cen[None, :, :]
        d2 = np.maximum(np.einsum("abk,abk->ab", dd, dd), 0.01)
        ci, cj = occ // g, occ % g
        adjacent = (np.abs(ci[:, None] - ci[None, :]) <= 1) & (np.abs(cj[:, None] - cj[None, :]) <= 1)
        f = np.where(adjacent, 0.0, k * k * mass[occ][None, :] / d2)
        cell_force = np.zeros((g * g, 2))
        cell_force[occ] = np.einsum("ab,abk->ak", f, dd)
        disp += cell_force[cid]
        # -- near field: each node and the centroids of the 3x3 cells around it (itself left out)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                x, y = cell[:, 0] + dx, cell[:, 1] + dy
                ok = (x >= 0) & (x < g) & (y >= 0) & (y < g)
                nc = np.where(ok, x * g + y, 0)
                m = np.where(ok, mass[nc], 0.0)
                cx, cy = sx[nc], sy[nc]
                if dx == 0 and dy == 0:
                    m, cx, cy = m - 1, cx - pos[:, 0], cy - pos[:, 1]
                has = m > 0
                mm = np.where(has, m, 1.0)
                ddx, ddy = pos[:, 0] - cx / mm, pos[:, 1] - cy / mm
                fn = np.where(has, k * k * m / np.maximum(ddx * ddx + ddy * ddy, 0.01), 0.0)
                disp[:, 0] += ddx * fn
                disp[:, 1] += ddy * fn
        # -- short range: exact pairwise repulsion closer than near_cut (hash grid of that size)
        hc = np.floor(pos / near_cut).astype(np.int64) + (1 << 20)
        keys = hc[:, 0] * shift + hc[:, 1]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):  # each unordered cell pair once
            nk = keys + dx * shift + dy
            a = np.searchsorted(sorted_keys, nk, "left")
            cnt = np.searchsorted(sorted_keys, nk, "right") - a
            total = int(cnt.sum())
            if not total:
                continue
            i = np.repeat(idx, cnt)
            j = order[np.repeat(a - (np.cumsum(cnt) - cnt), cnt) + np.arange(total)]
            if dx == 0 and dy == 0:
                keep = i < j
                i, j = i[keep], j[keep]
            d = pos[i] - pos[j]
            d2 = np.einsum("ij,ij->i", d, d)
            close = d2 < near_cut * near_cut
            i, j, d, d2 = i[close], j[close], d[close], d2[close]
            same = d2 <= 1e-8
            if same.any():  # coincident nodes: part them in a direction fixed by the pair
                angle = (i[same] * 0.618 + j[same] * 0.382) * 2 * math.pi
                d[same] = np.c_[np.cos(angle), np.sin(angle)] * 1e-4
                d2[same] = 1e-8
            f = 4 * k * k / d2
            fx, fy = d[:, 0] * f, d[:, 1] * f
            disp[:, 0] += np.bincount(i, fx, n) - np.bincount(j, fx, n)
            disp[:, 1] += np.bincount(i, fy, n) - np.bincount(j, fy, n)
        # -- attraction along edges: dist^2 / k
        if len(E):
            d = pos[E[:, 0]] - pos[E[:, 1]]
            f = np.sqrt(np.einsum("ij,ij->i", d, d)) / k
            fx, fy = d[:, 0] * f, d[:, 1] * f
            disp[:, 0] += np.bincount(E[:, 1], fx, n) - np.bincount(E[:, 0], fx, n)
            disp[:, 1] += np.bincount(E[:, 1], fy, n) - np.bincount(E[:, 0], fy, n)
        # -- constant pull towards the centre, so that components stay together
        disp -= (pos - pos.mean(axis=0)) * gravity
        # -- move, at most `temperature` per step
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-12
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    return pos
