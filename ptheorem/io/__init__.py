"""Reading and writing: atomic file writes, network files and middle-weight masks."""
