"""JSON documents: one serializer per command's document, and their JSON Schemas."""
