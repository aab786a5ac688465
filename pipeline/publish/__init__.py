"""Publish: everything a writer or editor opens. Stills and split images, the article, the
review page, the editor's timeline and the manifest."""
