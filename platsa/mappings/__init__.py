"""Mappings: a regional coordinator runs one questionnaire (innovation capacity, or any
framework) in a set of municipalities and compares them side by side. A mapping is a process
of the kind ``mapping``; each municipality's round is an assessment process inside it."""
