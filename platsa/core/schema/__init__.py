"""Validated data: questionnaires (frameworks), actions and funding (catalogue), the one input shape of every computation (dataset), and the loading of data files."""
