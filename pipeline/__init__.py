"""nhrap: drafting and consultation pipeline for National Human Rights Action Plans."""

__version__ = "0.1.0"
