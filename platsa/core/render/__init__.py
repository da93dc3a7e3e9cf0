"""Results for people: SVG charts, reasons and errors as sentences, the message texts, and reports as JSON and text."""
