"""Readers: files (Markdown, YAML, .docx, spreadsheets) into the document model."""
