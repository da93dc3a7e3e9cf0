"""The spine every participation process stands on: a process of some kind at a place (or a
set of places), its phases and what each phase lets participants do, who may act on it, and
an audit log of what changed. An assessment round is one kind; later capabilities (mappings,
open innovation, workshops, plans) register their own kinds (``platsa.processes.kinds``)."""
