"""Launch dates: the date in the phrases of a launch verb or phrase ("lifted off on 23 July 2020")."""
from __future__ import annotations

from typing import TYPE_CHECKING


from ...model import Found
from ..dates import parse_date

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


class LaunchDateRules:
    """``launchDate`` of a mission, a literal fact."""

    def rule_launch_dates(self, si: int, sent: Span) -> None:
        lemmas, phrases, firsts = self.lexicon.launch_cues
        text_low = None
        for i in range(sent.start, sent.end):
            if self.lemma[i] not in lemmas and self.lower[i] not in firsts:
                continue
            tok = self.doc[i]
            lemma = self.lemma[i]
            if text_low is None:
                text_low = sent.text.lower()
            at = tok.idx - sent.start_char
            phrase_hit = any(p.split()[0] == tok.lower_ and text_low.startswith(p, at) for p in phrases)
            if not (phrase_hit or (lemma in lemmas and tok.pos_ == "VERB")):
                continue
            if lemma == "lift" and "off" not in {c.lower_ for c in tok.children}:
                continue
            if lemma == "follow" and not (tok.dep_ == "conj" and tok.head.lemma_.lower() in lemmas - {"follow"}):
                continue
            if self.negated(tok):
                continue
            date = self.date_in_clause(tok)
            if not date:
                continue
            who = self.slot(("patient", "agent") if self.is_passive(tok) else ("agent", "patient"), tok,
                            frozenset({"Mission"}), si)
            if lemma == "launch" and not self.is_passive(tok) and who.keys and self._agency_subject(tok):
                who = self.role("patient", tok, frozenset({"Mission"}), si)
            for k in who.keys:
                if self.cls.get(k) == "Mission":
                    self.found.append(Found(k, "launchDate", date, si, f"launch-date:{lemma}", who.confidence, True))

    def date_in_clause(self, tok: Token) -> str | None:
        """A date in the verb's own phrases (not in a conjoined clause)."""
        parts = []
        for c in tok.children:
            if c.dep_ in ("prep", "npadvmod", "advmod", "advcl", "xcomp") and not c.dep_ == "conj":
                parts.append(c)
        for p in parts:
            sub = sorted(p.subtree, key=lambda t: t.i)
            if any(t.dep_ == "conj" and t.pos_ == "VERB" for t in sub):
                continue
            text = tok.doc[sub[0].i: sub[-1].i + 1].text
            d = parse_date(text)
            if d:
                return d
        return None
