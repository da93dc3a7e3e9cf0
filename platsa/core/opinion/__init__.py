"""Opinion mapping compatible with Pol.is: a participants x statements vote matrix, its PCA,
base clusters and opinion groups, representative and consensus statements.

Pure NumPy/SciPy, no Django: the web side calls :func:`platsa.core.opinion.pipeline.analyse`
from a background task and the command line calls it on Pol.is export files."""
