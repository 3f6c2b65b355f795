"""The learned relation model: a logistic regression over the bag features of :mod:`.features`.

It decides, for every candidate bag of a document (a pair of entities and a relation, or a
mission and a date), whether the document states that fact.  The rules' facts are kept as they
are (the rules are precise) and are among the model's features (their votes); the model adds the
facts the rules miss.  A fact it adds carries ``rule="model"`` and the model's probability as
its confidence, with the sentences of the bag that support it best as evidence.

The file is JSON: the weights of the features the training saw, the intercept and the decision
threshold, and what it was made for (kg version, feature version, the ontology's schema hash,
the spaCy model), what it was trained on, and a SHA-256 checksum of all that.  A file that fails
its checksum, or was made for another ontology or kg version, is refused with the reason.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import RelationModelError
from ..model import Found
from .candidates import LAUNCH_DATE, Argument, Bag, Candidate, bags
from .features import FEATURES_VERSION, Featurizer

if TYPE_CHECKING:
    from ..ontology import Ontology
    from .run import DocRun

FORMAT = "kg-relation-model"
FORMAT_VERSION = 1
#: The rule name of the model's facts.
RULE = "model"
#: Where the model kg ships with lives (package data, trained by ``kg train``; see the README).
SHIPPED = Path(__file__).resolve().parent.parent / "models" / "relations.json"
#: Weights are stored with this many significant digits: the file stays small and its bytes stable.
DIGITS = 6


@dataclass
class RelationModel:
    weights: dict[str, float]
    intercept: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    # ------------------------------------------------------------ file
    def payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION, **self.meta,
            "threshold": round(self.threshold, 4),
            "intercept": _round(self.intercept),
            "weights": {k: _round(v) for k, v in sorted(self.weights.items())},
        }

    def dumps(self) -> bytes:
        """The file's bytes: the payload and its checksum, keys sorted, one feature per line."""
        payload = self.payload()
        body = _canonical(payload)
        out = {"checksum": hashlib.sha256(body).hexdigest(), **payload}
        lines = json.dumps(out, sort_keys=True, ensure_ascii=False, indent=0, separators=(",", ":"))
        return (lines + "\n").encode("utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(_canonical(self.payload())).hexdigest()

    @classmethod
    def load(cls, path: Path, ontology: Ontology) -> RelationModel:
        """Read and check a model file against the ontology and this kg."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise RelationModelError(f"{path}: relation model file missing") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise RelationModelError(f"{path}: cannot read the relation model: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise RelationModelError(f"{path}:{exc.lineno}: not a relation model (invalid JSON: {exc.msg})") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RelationModelError(f"{path}: not a kg relation model (no \"format\": \"{FORMAT}\")")
        checksum = data.pop("checksum", None)
        if checksum != hashlib.sha256(_canonical(data)).hexdigest():
            raise RelationModelError(f"{path}: checksum mismatch: the file is damaged or was edited; train it again")
        if data.get("format_version") != FORMAT_VERSION:
            raise RelationModelError(f"{path}: model format {data.get('format_version')}, this kg reads {FORMAT_VERSION}")
        made = data.get("kg_version"), data.get("features_version")
        if made != (__version__, FEATURES_VERSION):
            raise RelationModelError(
                f"{path}: made for kg {made[0]} (features v{made[1]}), this is kg {__version__} "
                f"(features v{FEATURES_VERSION}); train it again with kg train")
        if data.get("ontology_schema") != ontology.schema:
            raise RelationModelError(
                f"{path}: made for another ontology (schema {data.get('ontology_schema')}, relations "
                f"{', '.join(data.get('relations', []))}); the ontology in {ontology.directory} has schema "
                f"{ontology.schema}: train a model for it with kg train")
        meta = {k: v for k, v in data.items() if k not in ("format", "format_version", "threshold", "intercept", "weights")}
        return cls(dict(data["weights"]), float(data["intercept"]), float(data["threshold"]), meta, path)

    def describe(self) -> str:
        """How a build summary names it: the shipped model or a file, and its checksum."""
        where = "kg's model" if self.path is not None and self.path.resolve() == SHIPPED else str(self.path)
        typing = ", with entity typing" if "entity_typing" in self.meta else ""
        return f"{where} ({self.checksum[:12]}, threshold {self.threshold:g}{typing})"

    # ------------------------------------------------------------ scoring
    def probability(self, features: list[str]) -> float:
        w = self.weights
        z = self.intercept + sum(w.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def predict(self, run: DocRun, found: list[Found]) -> list[Found]:
        """The facts of one document: the rules' own (they are precise), and the facts the model adds,
        each on the sentences that support it best, with the model's probability as its confidence."""
        fz = Featurizer(run, found)
        ruled = {(f.subject, f.relation, f.object) for f in found}
        adds = self.meta.get("adds")  # the relations the model adds facts to (all when not recorded)
        adds = frozenset(adds) if adds is not None else None
        out = list(found)
        for bag in bags(run, frozenset(ruled), adds):  # a bag's score depends on its own candidates only
            if (bag.subject, bag.relation, bag.object) in ruled:
                continue
            if not fz.affirmed(bag):
                continue
            p = self.probability(fz.bag(bag))
            if p < self.threshold:
                continue
            for si in self.evidence(fz, bag):
                out.append(Found(bag.subject, bag.relation, bag.object, si, RULE, round(p, 3), bag.literal))
        return out

    def evidence(self, fz: Featurizer, bag: Bag) -> list[int]:
        """The sentences of a bag that state it: each one the model accepts alone, else the best one."""
        by_sentence: dict[int, list[Candidate]] = {}
        for c in bag.members:
            by_sentence.setdefault(c.sentence, []).append(c)
        if len(by_sentence) == 1:
            return list(by_sentence)
        scored = []
        for si, members in by_sentence.items():
            scored.append((self.probability(fz.bag(bag, members)), -si))
        scored.sort(reverse=True)
        keep = [-si for p, si in scored if p >= self.threshold]
        return sorted(keep or [-scored[0][1]])


def choose(relation_model: Path | str | None, ontology: Ontology) -> RelationModel | None:
    """The relation model a build uses.  ``"default"``: the model kg ships with, when it was made
    for this ontology (a build with an ontology of your own uses the rules alone until ``kg train``
    makes a model for it); ``"none"`` or None: the rules alone; a path: that file, checked, and
    refused with the reason if it does not fit."""
    if relation_model is None or str(relation_model) == "none":
        return None
    if str(relation_model) == "default":
        if not SHIPPED.exists():
            return None
        return _load_once(SHIPPED, ontology) if _fits(SHIPPED, ontology) else None
    path = Path(relation_model)
    if not path.is_file():
        raise RelationModelError(f"{path}: relation model file missing")
    return _load_once(path, ontology)


_LOADED: dict[tuple, RelationModel] = {}


def _load_once(path: Path, ontology: Ontology) -> RelationModel:
    """A model file read once per process while it stays the same file (``kg watch`` asks each build)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, ontology.schema)
    model = _LOADED.get(key)
    if model is None:
        model = _LOADED[key] = RelationModel.load(path, ontology)
    return model


def _fits(path: Path, ontology: Ontology) -> bool:
    """Whether a model file was made for this ontology (read cheaply, without the checksum)."""
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # let load() say what is wrong
    return head.get("ontology_schema") == ontology.schema


def document_bags(run: DocRun, found: list[Found]) -> list[Bag]:
    """The candidate bags of a document, plus a bag for each rule fact no candidate covers
    (the rules resolve topics and list items the candidates do not), so every rule vote is heard."""
    out = bags(run, frozenset((f.subject, f.relation, f.object) for f in found))
    index = {(b.subject, b.relation, b.object): b for b in out}
    for f in found:
        key = (f.subject, f.relation, f.object)
        if key in index and any(c.sentence == f.sentence for c in index[key].members):
            continue
        root = run.sents[f.sentence].root.i
        s = Argument(f.subject, root, root + 1, root, "rule")
        o = Argument(f.object, root, root + 1, root, "date" if f.literal else "rule")
        bag = index.get(key)
        if bag is None:
            bag = index[key] = Bag(*key)
            out.append(bag)
        bag.members.append(Candidate(f.sentence, s, o, f.relation))
    return out


def _round(x: float) -> float:
    return float(f"{x:.{DIGITS}g}")


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


__all__ = ["RelationModel", "choose", "document_bags", "RULE", "SHIPPED", "LAUNCH_DATE"]
