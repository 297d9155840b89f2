"""Flask app: JSON API, Arabic RTL pages, search gateway."""
