"""How the skill resolver's similarities become one score per skill.

The fixed fusion joins two kinds of evidence:

* the label similarity ``L``: how close the text is to the skill's best name or alias, the
  better of the character n-gram and the word cosine, aliases counting a little less than
  the name;
* the other evidence ``E``: the word cosine of the text with the skill's description, and
  the share of the text's words (by IDF) that the skill's labels or description hold.

The score is ``L + (1 - L) * EVIDENCE_SHARE * E``: a name matched letter for letter needs
nothing else, and a paraphrase of a skill that has no such alias can still win on its
description. The weights were chosen on ESCO's held-out-skills split (``benchmarks/quality.py``);
weights learnt instead on aliases held out of the training taxonomy alone did no better there
(docs/benchmarks.md), so these are kept.
"""

from __future__ import annotations

import numpy as np

from recommender.resolver_query import QueryFeatures
from recommender.resolver_vocab import NAME, TextIndex

#: An alias's similarity counts this much of a name's: the name is the skill's own label.
ALIAS_WEIGHT = 0.85
#: Weights of the description's word cosine and of the word coverage in E.
EVIDENCE_WEIGHTS = (0.7, 0.5)
#: How much of the distance to 1 that the label similarity leaves the other evidence may close.
EVIDENCE_SHARE = 0.9
#: Highest fuzzy score: 1.0 is kept for exact matches.
FUZZY_MAX = 0.99


def label_weights(index: TextIndex) -> np.ndarray:
    """Return 1 for names and ``ALIAS_WEIGHT`` for aliases, shape (n_labels,), float32."""
    return np.where(index.label_kind == NAME, 1.0, ALIAS_WEIGHT).astype(np.float32)


def fixed_scores(
    index: TextIndex, features: QueryFeatures
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the weighted similarity of every label, and the label and fused score of every skill.

    Returns
    -------
    per_label : ndarray of float32, shape (n_labels,)
        Label similarity, aliases weighted by ``ALIAS_WEIGHT``.
    label : ndarray of float32, shape (n_skills,)
        Best label similarity of each skill.
    score : ndarray of float32, shape (n_skills,)
    """
    per_label = np.maximum(features.char, features.word) * label_weights(index)
    if not index.n_skills:
        return per_label, np.zeros(0, np.float32), np.zeros(0, np.float32)
    label = np.maximum.reduceat(per_label, index.label_start)
    w_words, w_cover = EVIDENCE_WEIGHTS
    evidence = (w_words * features.description + w_cover * features.coverage) / (w_words + w_cover)
    score = label + (1.0 - label) * EVIDENCE_SHARE * evidence
    return per_label, label, np.minimum(score, FUZZY_MAX)
