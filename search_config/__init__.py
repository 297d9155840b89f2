"""Index shape as data: settings, mappings, word lists, and one loader."""
