"""Open innovation: processes and journeys of several stops, challenges, ideas, comments,
support and pledges, live feeds, moderation, and the summary report (issue 9)."""
