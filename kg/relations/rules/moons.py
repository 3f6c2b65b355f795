"""Moon phrases: "Triton, Neptune's largest moon", "a moon of Saturn", "Saturn's large moons, Rhea, ..."."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token



class MoonRules:
    """``moonOf`` from a "moon(s)" phrase with its planet and the moon names beside it."""

    def rule_moons(self, si: int, sent: Span) -> None:
        bodies = frozenset({"Planet", "DwarfPlanet"})
        for tok in self.candidates(sent, self.lexicon.moon_nouns):
            planet = []
            for c in tok.children:
                if c.dep_ == "poss":
                    planet = self.resolve(c, bodies, si=si).keys
                elif c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            planet = self.resolve(g, bodies, si=si).keys
            if not planet:
                continue
            moons = self.moons_near(tok, sent)
            if not moons and self.states[si].ends_with_colon:
                self.states[si].pending.append(("moons", planet, tok))
            for m in moons:
                for p in planet:
                    self.emit(m, "moonOf", p, si, "moon-phrase", 0.85)

    def moons_near(self, tok: Token, sent: Span) -> list[str]:
        """Moon names in apposition with a "moon(s)" phrase, left or right, through commas and lists."""
        allowed = {",", "and", "or", "the", "a", "an", "of", "one", "two", "three", "four", "five", "largest",
                   "smaller", "larger", "smallest", "outermost", "innermost", "biggest", "icy", "small", "tiny",
                   "large", "four", "'s", "’s", "-", "other", "famous", "ocean", "major", "main", "known"}
        np_start = min(t.i for t in tok.subtree)
        np_end = max(t.i for t in tok.subtree) + 1
        ks = []
        # left: "Triton, Neptune's largest moon" / "Rhea, Dione and Tethys, three mid-sized moons"
        i = np_start - 1
        while i >= sent.start:
            t = tok.doc[i]
            k = self.key(t)
            if k:
                if self.cls[k] == "Moon":
                    ks.append(k)
                elif self.cls[k] not in ("Planet", "DwarfPlanet"):
                    break
            elif t.lower_ not in allowed and not t.is_space:
                break
            i -= 1
        # right: "Saturn's mid-sized moons, Rhea, Dione and Tethys"
        i = tok.i + 1
        while i < sent.end:
            t = tok.doc[i]
            k = self.key(t)
            if k:
                if self.cls[k] == "Moon":
                    ks.append(k)
                elif i >= np_end:
                    break
            elif t.lower_ not in allowed and not t.is_space and i >= np_end:
                break
            i += 1
        # copula: "Titan is Saturn's largest moon"
        if tok.dep_ == "attr":
            subj, _ = self.clause_subject(tok)
            if subj is not None:
                ks += [k for k in self.resolve(subj, frozenset({"Moon"})).keys]
        # "a tiny moon orbiting Ida" has no planet; "Dactyl, a tiny moon" handled on the left
        return list(dict.fromkeys(ks))
