"""make-clips: coaching footage in, captioned clips, form comparisons and a draft article out."""

__version__ = "0.1.0"
