"""Writers: the document model into files (Markdown versions, Word, spreadsheets, reports)."""
