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

When the sentence encoder is installed (:mod:`recommender.resolver_semantic`), that text score
``T`` is averaged with the embedding cosines of the skill's name ``N`` and description ``D``,
``(T + a N + b D) / (1 + a + b)`` (``b = 0`` for a skill without a description), and the mean
is mapped onto the text score's scale (:func:`calibrate`) so that the resolver's threshold
means the same with the model or without it. ``a``, ``b`` and the calibration were tuned on
held-out aliases of the training skills alone: for each seed of the benchmark's split, a
second split of the skills it fits on (never the held-out fifth).

The encoder costs a forward pass per query, many times what the text scores cost, and when
the text already names one skill nearly letter for letter it changes nothing that matters:
when the best text score reaches ``DECISIVE_SCORE`` and leads the next by ``DECISIVE_MARGIN``
(:func:`text_is_decisive`), the text scores are the answer. Chosen on the same inner splits,
where it leaves two queries in five unembedded without losing a right best match or top
five (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence

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
#: Weights of the name's and the description's embedding cosine, the text score's being 1.
EMBEDDING_WEIGHTS = (1.0, 1.7)
#: A mean of text score and cosines at ``CALIBRATION[0]`` is as often right as a text score at
#: ``CALIBRATION[1]`` (the resolver's default threshold): about nine in ten best matches.
CALIBRATION = (0.52, 0.75)
#: The same point for a skill without a description, whose mean leaves the description out
#: (names and aliases alone: as often right as their text score at the threshold).
CALIBRATION_UNDESCRIBED = 0.70
#: A skill that shares no text with the query is a candidate only from this cosine on: below
#: it, any text would "match" every skill a little (tuned with the weights; 0.3 to 0.5 ranked
#: the held-out labels alike).
EMBEDDING_CANDIDATE_MIN = 0.4
#: A best text score from which, leading the next skill's by ``DECISIVE_MARGIN``, the encoder
#: is not asked (a typo of a name, an alias with a word more): it would not change the answer.
DECISIVE_SCORE = 0.85
DECISIVE_MARGIN = 0.15


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


def text_is_decisive(text_score: np.ndarray, exact: Sequence[int] = ()) -> bool:
    """Return whether the best text score is high enough, and far enough ahead, to stand alone.

    ``exact`` are the positions of the text's exact matches: they come first whatever their
    score, so the places after them are what the encoder could change.

    >>> text_is_decisive(np.array([0.95, 0.7, 0.1])), text_is_decisive(np.array([0.95, 0.9]))
    (True, False)
    >>> text_is_decisive(np.array([0.99, 0.95, 0.7]), exact=[0])
    True
    """
    if len(exact):
        text_score = text_score.copy()
        text_score[list(exact)] = 0.0
    if text_score.size == 0:
        return False
    if text_score.size == 1:
        return bool(text_score[0] >= DECISIVE_SCORE)
    second, best = np.partition(text_score, text_score.size - 2)[-2:]
    return bool(best >= DECISIVE_SCORE and best - second >= DECISIVE_MARGIN)


def blended_scores(
    text_score: np.ndarray, names: np.ndarray, descriptions: np.ndarray, described: np.ndarray
) -> np.ndarray:
    """Return the calibrated mean of the text score and the embedding cosines of every skill.

    A skill without a description averages its text score and name cosine alone: a
    missing description says nothing against the skill. A skill that shares no text with
    the query and whose cosines stay under ``EMBEDDING_CANDIDATE_MIN`` scores 0 (no match).

    Parameters
    ----------
    text_score : ndarray of float32, shape (n_skills,)
        As :func:`fixed_scores` returns it.
    names, descriptions : ndarray of float32, shape (n_skills,)
        Cosines of the text's embedding, negative ones at 0.
    described : ndarray of bool, shape (n_skills,)
        Whether each skill has a description to compare.

    Returns
    -------
    score : ndarray of float32, shape (n_skills,)
        In [0, ``FUZZY_MAX``].
    """
    w_name, w_description = EMBEDDING_WEIGHTS
    w_own = np.where(described, np.float32(w_description), np.float32(0.0))
    mean = (text_score + w_name * names + w_own * descriptions) / (1.0 + w_name + w_own)
    knot = np.where(described, np.float32(CALIBRATION[0]), np.float32(CALIBRATION_UNDESCRIBED))
    candidate = (text_score > 0.0) | (np.maximum(names, descriptions) >= EMBEDDING_CANDIDATE_MIN)
    return np.where(candidate, calibrate(mean, knot), np.float32(0.0))


def calibrate(mean: np.ndarray, knot: np.ndarray | float = CALIBRATION[0]) -> np.ndarray:
    """Map a blended mean onto the text score's scale, keeping its order (piecewise linear).

    ``knot`` (per skill, or one for all) goes to the threshold ``CALIBRATION[1]``, 0 to 0
    and 1 to ``FUZZY_MAX``.

    >>> [round(float(x), 3) for x in calibrate(np.array([0.0, 0.26, 0.52, 1.0]))]
    [0.0, 0.375, 0.75, 0.99]
    """
    target = CALIBRATION[1]
    below = mean * (target / knot)
    above = target + (mean - knot) * ((FUZZY_MAX - target) / (1.0 - knot))
    return np.minimum(np.where(mean <= knot, below, above), FUZZY_MAX).astype(np.float32)
