"""Platsa's computation core.

Everything here is plain Python and NumPy: no Django, no database, no network. The web
app and the ``platsa`` command line both call it, so a result computed on the command line
is the same result the web page shows.
"""
