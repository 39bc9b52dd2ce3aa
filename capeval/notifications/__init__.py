"""Messages to people: Jinja2 templates (Simplified Chinese and English, text and HTML), rendering and sending."""
