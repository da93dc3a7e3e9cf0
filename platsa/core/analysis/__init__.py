"""Computations on answers: scores and intervals, groups and gaps, disclosure rules, a place's context, text matching, and the recommendation engine."""
