"""Closest catalog item ids to an unknown one, for "did you mean" (fitted per catalog version)."""

from __future__ import annotations

import threading

import numpy as np
from flask import current_app
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from service.engine import Models

# Below this n-gram similarity two ids only share a few letters.
MIN_SCORE = 0.3


class ItemNames:
    """Character n-gram TF-IDF over the catalog's item ids, fitted on first use."""

    def __init__(self, models: Models):
        self.version = models.version
        self.ids = np.array(sorted(models.items), dtype=object)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), lowercase=True)
        self.vectors = self.vectorizer.fit_transform(self.ids) if len(self.ids) else None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Return up to ``limit`` item ids close to ``text``, closest first."""
        if self.vectors is None:
            return []
        scores = linear_kernel(self.vectors, self.vectorizer.transform([text])).ravel()
        best = np.argsort(-scores, kind="stable")[:limit]
        return [str(self.ids[i]) for i in best if scores[i] >= MIN_SCORE]


_lock = threading.Lock()


def suggest_items(models: Models, text: str) -> list[str]:
    """Name the catalog items whose ids are closest to an unknown reference."""
    cache = current_app.extensions.setdefault("skillpath.item_names", {})
    with _lock:
        names = cache.get("names")
        if names is None or names.version != models.version:
            names = cache["names"] = ItemNames(models)
    return names.suggest(text)
