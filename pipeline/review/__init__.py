"""`make-clips review OUTPUT_DIR`: fix a take in the browser, then render only what changed."""
