"""Output of results: :mod:`.json` (documents and their schemas) and :mod:`.text` (rich)."""
