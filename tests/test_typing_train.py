"""What `kg train --entity-typing` learns from the gold (kg/typing_train.py): the names it keeps, the
examples it labels, and a classifier fitted the same way every time."""
from __future__ import annotations

import pytest

from kg.entity_typing import NONE, EntityTyper
from kg.errors import EvalError
from kg.typing_train import fit_classifier, typing_names


def _rec(*entities):
    return {"doc": "d", "entities": [{"name": n, "type": t, **({"aliases": list(a)} if a else {})}
                                     for n, t, *a in entities]}


@pytest.mark.parametrize("records, known, expected", [
    # a name and its aliases stand for the entity's name
    ([_rec(("Grey Heron", "Ship", "Heron", "the Heron"))], set(),
     {"Grey Heron": ("Ship", "Grey Heron"), "Heron": ("Ship", "Grey Heron"), "the Heron": ("Ship", "Grey Heron")}),
    # the folder's gazetteer types its own names; a name without a capital would match common words
    ([_rec(("Skelby", "Port"), ("harbour board", "ShippingCompany"))], {"Skelby"}, {}),
    # a name the records give two classes takes the one most of them give
    ([_rec(("Tarrow", "Port")), _rec(("Tarrow", "Ship")), _rec(("Tarrow", "Port"))], set(),
     {"Tarrow": ("Port", "Tarrow")}),
])
def test_names_kept_in_the_model(records, known, expected):
    assert typing_names(records, known) == expected


ROWS = [(["pobj-by~builtBy", "last~Shipyard"], "Shipyard"), (["pobj-by~builtBy"], "Shipyard"),
        (["modified-by~Ship", "det=the"], "Ship"), (["det=the", "modified-by~Ship"], "Ship"),
        (["pobj-in~homePort"], "Port"), (["pobj-in~homePort", "ner=GPE"], "Port"),
        (["ner=DATE", "pobj-in~homePort"], NONE), (["ner=DATE"], NONE)]


def test_the_classifier_is_the_same_every_time_and_predicts_what_it_learnt():
    first, again = fit_classifier(ROWS), fit_classifier(list(ROWS))
    assert first == again
    labels, weights, intercepts = first
    typer = EntityTyper({}, labels, weights, intercepts)
    for feats, label in ROWS[:6]:
        p = typer.probabilities(feats)
        assert labels[p.index(max(p))] == label and abs(sum(p) - 1) < 1e-9
    assert "ner=GPE" not in weights  # seen once: left out


def test_two_labels_give_the_probabilities_scikit_learn_gives():
    from sklearn.linear_model import LogisticRegression

    rows = [(["modified-by~Ship"], "Ship"), (["modified-by~Ship", "det=the"], "Ship"),
            (["ner=DATE"], NONE), (["ner=DATE", "det=the"], NONE)]
    labels, weights, intercepts = fit_classifier(rows)
    assert labels == [NONE, "Ship"] and all(w[0] == 0.0 for w in weights.values()) and intercepts[0] == 0.0
    typer = EntityTyper({}, labels, weights, intercepts)
    columns = ["det=the", "modified-by~Ship", "ner=DATE"]
    X = [[float(c in feats) for c in columns] for feats, _ in rows]
    clf = LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000, tol=1e-6, random_state=0).fit(X, [y for _, y in rows])
    for (feats, _), expected in zip(rows, clf.predict_proba(X)):
        assert typer.probabilities(feats) == pytest.approx(list(expected), abs=1e-9)


@pytest.mark.parametrize("rows, message", [
    ([(["ner=DATE"], NONE), (["det=the"], NONE)], "no gold entity is left untyped"),
    ([(["det=the"], "Ship"), (["modified-by~Ship"], "Ship")], "no capitalised name of the notes is outside the gold"),
])
def test_gold_that_teaches_nothing_is_an_error(rows, message):
    with pytest.raises(EvalError, match=message):
        fit_classifier(rows)
