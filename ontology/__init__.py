"""kg's default ontology folder, installed as the package data ``kg.default_ontology``
(pyproject.toml maps it there) and read as files through :mod:`importlib.resources`.

There is no code here: this file only makes the folder a package that an editable install
finds in the repository and a wheel carries whole.
"""
