"""List items: a colon intro ("run by three agencies:") leaves frames open that its items complete."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span



class ListRules:
    """Facts completed by the fragment items of a list."""

    def rule_list_items(self, si: int, sent: Span) -> None:
        """A fragment item of a list completes the frames its colon intro left open."""
        st = self.states[si]
        if not st.list_item or not st.fragment:
            return
        intro = None
        for prev in reversed(self.states[:si]):
            if prev.ends_with_colon:
                intro = prev
                break
            if not prev.list_item:
                break
        if intro is None or not intro.pending:
            return
        names = [(span, k) for span, k in self.spans_in[si]
                 if not (span.end < len(self.doc) and self.doc[span.end].text in ("'s", "’s"))]
        for item in intro.pending:
            if item[0] == "moons":
                _, planet, _tok = item
                for span, k in names:
                    if self.cls[k] == "Moon":
                        for p in planet:
                            self.emit(k, "moonOf", p, si, "moon-list", 0.75)
                continue
            if item[0] == "modifier":
                _, owners, _tok = item
                for span, k in names[:1]:
                    for o in owners:
                        rel = "operatedBy" if self.onto.is_a(self.cls[o], frozenset({"Organization"})) else "partOf"
                        self.emit(k, rel, o, si, "modifier-list", 0.7)
                continue
            trig, known, missing_side, rule = item
            for span, k in names:
                for rel in trig.relations:
                    if missing_side == "object":
                        for s in known.keys:
                            self.emit(s, rel, k, si, rule + ":list", 0.7)
                    else:
                        for o in known.keys:
                            self.emit(k, rel, o, si, rule + ":list", 0.7)
