"""Live workshops: a facilitator asks a room (or a stream audience) questions one at a time;
participants answer from their phones with a short code, no account; the projector shows
the answers as they come."""
