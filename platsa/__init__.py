"""Platsa: assess a place, recommend actions, co-create, plan and follow up."""

__version__ = "0.1.0"
