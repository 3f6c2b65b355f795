"""One module per rule family; :class:`~kg.relations.run.DocRun` runs them in the order listed."""
from .joint import JointRules
from .launch_dates import LaunchDateRules
from .lists import ListRules
from .modifiers import ModifierRules
from .moons import MoonRules
from .parts import PartRules
from .possessives import PossessiveRules
from .triggers import TriggerRules

__all__ = ["TriggerRules", "PossessiveRules", "ModifierRules", "MoonRules", "JointRules", "ListRules",
           "LaunchDateRules", "PartRules"]
