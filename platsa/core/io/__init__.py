"""Files in and out: CSV/XLSX reading within bounds, the import of answers, the storage encoding, the import template, generated answers, and the open data of municipalities."""
