"""Trained models kg ships with (package data): ``relations.json``, the relation model made by
``kg train`` from the dev and real corpora (see the README, "Quality")."""
