"""Opinion mapping: a conversation of short statements that participants agree or disagree
with, one at a time, and the groups of opinion and the common ground found in the votes
(Pol.is's pipeline, in ``platsa.core.opinion``)."""
