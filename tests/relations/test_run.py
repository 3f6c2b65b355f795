"""The per-token table the rules read is what spaCy's Token objects say."""
from __future__ import annotations

import pytest

from kg.relations.run import token_table


@pytest.mark.parametrize("text, negated", [
    ("The Osprey probe did not land on Mars; it never reached the surface.", True),
    ("Launched on 4 May 2031, the Kestrel orbiter flew past Venus twice.", False),
    ("", False),
])
def test_token_table_matches_spacys_tokens(extractor, text, negated):
    doc = extractor.nlp(text)
    lemma, lower, dep, pos, head, has_neg = token_table(doc)
    assert lemma == [t.lemma_.lower() for t in doc] and lower == [t.lower_ for t in doc]
    assert dep == [t.dep_ for t in doc] and pos == [t.pos_ for t in doc] and head == [t.head.i for t in doc]
    assert has_neg == [any(c.dep_ == "neg" for c in t.children) for t in doc]
    assert any(has_neg) == negated
