"""What the sentence encoder says about a taxonomy: one embedding per skill name and description.

The resolver's other signals compare spellings and words, so a label that shares neither with
its skill ("Kaspersky Anti-Virus" for *use anti-virus software*) is out of their reach; the
encoder (:mod:`recommender.embedding`) places texts by meaning. Aliases are not embedded:
they already match letter for letter and word for word, and on ESCO's held-out split their
embeddings added nothing over the name's and the description's (docs/benchmarks.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommender.embedding import SentenceEncoder, default_encoder
from recommender.embedding_store import EmbeddingStore
from recommender.types import SkillRecord

#: Tokens of a query that are embedded: skill names are short, and a forward pass costs in
#: proportion to its tokens (a 200-character query of single letters would be 200).
QUERY_MAX_TOKENS = 48


@dataclass(frozen=True, slots=True)
class SkillEmbeddings:
    """Unit-length embeddings of each skill's name and description (zero where blank).

    Attributes
    ----------
    model : str
        The encoder's name; queries must be embedded by the same model.
    names : ndarray of float32, shape (n_skills, dimension)
    descriptions : ndarray of float32, shape (n_skills, dimension), or None
        None when descriptions are not matched.
    described : ndarray of bool, shape (n_skills,)
        Which skills have a description to compare (none when they are not matched).
    """

    model: str
    names: np.ndarray
    descriptions: np.ndarray | None
    described: np.ndarray


def embed_skills(
    skills: Sequence[SkillRecord],
    *,
    use_descriptions: bool,
    encoder: SentenceEncoder | None = None,
    store_in: str | os.PathLike | None = None,
) -> SkillEmbeddings | None:
    """Return the embeddings of ``skills`` (in the given order), or None without an encoder.

    ``store_in`` is the folder of the encoder's store on disk (None: none), read before
    encoding and written after.
    """
    encoder = encoder or default_encoder()
    if encoder is None:
        return None
    store = encoder.store_in(Path(store_in)) if store_in is not None else None
    names = _embed(encoder, [s.name for s in skills], store)
    if not use_descriptions:
        return SkillEmbeddings(encoder.name, names, None, np.zeros(len(skills), dtype=bool))
    described = np.array([bool(s.description.strip()) for s in skills], dtype=bool)
    descriptions = _embed(encoder, [s.description for s in skills], store)
    return SkillEmbeddings(encoder.name, names, descriptions, described)


def query_similarity(
    embeddings: SkillEmbeddings, text: str
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the cosine of ``text`` with every name and description, or None without the model.

    Returns
    -------
    names, descriptions : ndarray of float32, shape (n_skills,)
        Negative cosines are 0: unrelated texts point anywhere, and no direction counts
        against a skill. Descriptions are all 0 when they are not matched.
    """
    encoder = default_encoder()
    if encoder is None or encoder.name != embeddings.model or not text.strip():
        return None
    query = encoder.encode_query(text, max_tokens=QUERY_MAX_TOKENS)
    names = np.maximum(embeddings.names @ query, 0.0)
    if embeddings.descriptions is None:
        return names, np.zeros_like(names)
    return names, np.maximum(embeddings.descriptions @ query, 0.0)


def embed_queries(embeddings: SkillEmbeddings, texts: Sequence[str]) -> None:
    """Embed ``texts`` as queries together, so that :func:`query_similarity` finds them kept.

    One forward pass per batch of texts rather than one per text; nothing without the model.
    """
    encoder = default_encoder()
    if encoder is None or encoder.name != embeddings.model:
        return
    encoder.encode_queries([t for t in texts if t.strip()], max_tokens=QUERY_MAX_TOKENS)


def _embed(encoder: SentenceEncoder, texts: list[str], store: EmbeddingStore | None) -> np.ndarray:
    """Return the embeddings of ``texts``, a zero row for each blank one."""
    out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    rows = [k for k, text in enumerate(texts) if text.strip()]
    if rows:
        out[rows] = encoder.encode([texts[k] for k in rows], store=store)
    return out
