"""twin — a digital twin and what-if scenario simulator for French territories."""

__version__ = "0.1.0"
