"""Skill resolution: exact matches first, then fused text similarity, always with candidates."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from recommender import SkillMatch, SkillRecord, SkillResolver
from recommender.resolver import OTHER_FORM, OTHER_HEAD
from recommender.resolver_fusion import text_is_decisive
from recommender.resolver_text import (
    fold,
    spelled_acronyms,
    stem,
    strip_versions,
    within_edits,
    words,
)


@pytest.fixture(scope="module")
def resolver(skills) -> SkillResolver:
    """Return a resolver fitted on the toy taxonomy."""
    return SkillResolver().fit(skills)


#: A taxonomy in ESCO's style: verb phrases, acronyms, versions and paraphrasing aliases.
TAXONOMY = [
    SkillRecord(
        "drafting",
        "computer-aided design and drafting",
        (),
        "Using software to produce technical drawings and plans.",
    ),
    SkillRecord("install-os", "install operating system", ("set up operating systems",), ""),
    SkillRecord(
        "ict-systems",
        "use ICT systems",
        ("work with ICT systems",),
        "Select and use information and communication technology for a variety of tasks.",
    ),
    SkillRecord("kdevelop", "KDevelop", (), "An integrated development environment for C++."),
    SkillRecord(
        "security-policies",
        "implement ICT security policies",
        (),
        "Apply guidelines related to securing access to and use of computers and networks.",
    ),
    SkillRecord(
        "test-data",
        "analyse test data",
        ("examine experimental data",),
        "Interpret and analyse data collected during testing.",
    ),
    SkillRecord(
        "survey-data",
        "analyse survey data",
        ("examine survey results", "evaluate survey data"),
        "Interpret answers collected by surveys.",
    ),
    SkillRecord(
        "budget",
        "manage budgets",
        ("oversee budgets", "administer budgets"),
        "Plan, monitor and report on the budget.",
    ),
    SkillRecord("spreadsheets", "use spreadsheets software", (), "Tabulate data in spreadsheets."),
]


@pytest.fixture(scope="module")
def taxonomy() -> SkillResolver:
    """Return a resolver fitted on the ESCO-like taxonomy."""
    return SkillResolver().fit(TAXONOMY)


@pytest.mark.parametrize(
    ("text", "skill_id", "matched_on"),
    [
        ("aws", "aws", "id"),
        ("AMAZON WEB SERVICES", "aws", "name"),
        ("  amazon   web services ", "aws", "name"),
        ("k8s", "kubernetes", "alias"),
        ("gnu/linux", "linux", "alias"),
    ],
)
def test_exact_matches_score_one(resolver, text, skill_id, matched_on):
    """Ids, names and aliases match case- and space-insensitively with score 1.0."""
    best = resolver.resolve(text)[0]
    assert (best.skill_id, best.score, best.matched_on, best.confident) == (
        skill_id,
        1.0,
        matched_on,
        True,
    )
    assert resolver.lookup(text) == skill_id


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("kubernets", "kubernetes"),
        ("terrafrom", "terraform"),
        ("pyhton", "python"),
        ("Amazon Web Service", "aws"),
        ("dockr", "docker"),
    ],
)
def test_typos_resolve_to_the_intended_skill(resolver, text, skill_id):
    """Misspellings come first, with a score under the 1.0 of exact matches."""
    matches = resolver.resolve(text)
    assert matches[0].skill_id == skill_id
    assert 0.2 <= matches[0].score < 1.0
    assert resolver.lookup(text) is None


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("CADD", "drafting"),  # an acronym of a name
        ("cadd", "drafting"),  # also when typed in lower case
        ("install OS", "install-os"),  # an acronym of part of a name
        ("use information and communication technology systems", "ict-systems"),  # spelled out
    ],
)
def test_acronyms_meet_their_expansions(taxonomy, text, skill_id):
    """Acronyms are spelled out from the taxonomy's own names, and spelled-out ones shortened."""
    best = taxonomy.resolve(text)[0]
    assert (best.skill_id, best.confident) == (skill_id, True)


def test_a_spelled_out_acronym_meets_the_acronym_as_written():
    """Words that spell an acronym written in the taxonomy gain that acronym."""
    # Text alone: the encoder finds "geographic" close to "use geography" in so small a taxonomy.
    resolver = SkillResolver(use_embeddings=False).fit(
        [
            SkillRecord("gis", "use GIS"),
            SkillRecord("geography", "use geography"),
            SkillRecord("information", "information science"),
        ]
    )
    assert resolver.resolve("use geographic information systems")[0].skill_id == "gis"


def test_version_numbers_are_ignored(taxonomy):
    """A version number does not make a known product unknown."""
    best = taxonomy.resolve("KDevelop 4.6.0")[0]
    assert (best.skill_id, best.matched_on, best.confident) == ("kdevelop", "name", True)
    assert best.score == taxonomy.resolve("kdevelop v5.2")[0].score < 1.0
    assert taxonomy.resolve("KDevelop 5")[0].skill_id == "kdevelop"  # a bare number stays
    assert strip_versions("Python v3 and Java 1.8") == "Python and Java"


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("implementation of ICT security policies", "security-policies"),
        ("implementing ICT security policy", "security-policies"),
        ("budget management", "budget"),  # inflection and word order
        ("spreadsheet software use", "spreadsheets"),
    ],
)
def test_inflections_and_word_order_do_not_matter(taxonomy, text, skill_id):
    """Words are compared by stem and as a bag, so forms and order of words do not matter."""
    best = taxonomy.resolve(text)[0]
    assert (best.skill_id, best.confident) == (skill_id, True)
    assert len({stem(w) for w in ("implement", "implementing", "implementation")}) == 1


def test_a_name_written_in_the_texts_form_goes_first_among_equals():
    """A text opening with a lead word (a competence's verb) prefers names that open likewise.

    The two database skills have the same words, ending alike, so the text alone scores them
    alike; only the form (verb first or not) tells them apart, and it decides both ways.
    """
    resolver = SkillResolver(use_embeddings=False).fit(
        [
            SkillRecord("a-knowledge", "tools for design of databases"),
            SkillRecord("b-competence", "design tools for databases"),
            SkillRecord("interfaces", "design user interfaces"),
            SkillRecord("networks", "design computer networks"),
            SkillRecord("reports", "design reports"),
            SkillRecord("cae", "CAE software"),
        ]
    )
    assert resolver.lead_words_ == {"design"}  # opens four names, stands elsewhere in one
    for text, first, second in [
        ("designing tools for databases", "b-competence", "a-knowledge"),
        ("design of database tools for databases", "b-competence", "a-knowledge"),
        ("tools to design databases", "a-knowledge", "b-competence"),
    ]:
        best, runner_up = resolver.resolve(text, limit=2)
        assert (best.skill_id, runner_up.skill_id) == (first, second), text
        assert runner_up.score == pytest.approx(best.score * OTHER_FORM, abs=1e-6)


def test_a_name_ending_as_the_text_does_goes_first_among_equals():
    """A text of two words or more asks for a kind of what its last word names.

    The two skills have the same words, so the text alone scores them alike; the text's
    last word (the head of the phrase) decides, both ways, and a one-word text leaves them
    tied.
    """
    resolver = SkillResolver(use_embeddings=False).fit(
        [
            SkillRecord("a-software", "frameworks software"),
            SkillRecord("b-frameworks", "software frameworks"),
            SkillRecord("cae", "CAE software"),
        ]
    )
    for text, first, second in [
        ("iOS software frameworks", "b-frameworks", "a-software"),
        ("frameworks for software", "a-software", "b-frameworks"),
    ]:
        best, runner_up = resolver.resolve(text, limit=2)
        assert (best.skill_id, runner_up.skill_id) == (first, second), text
        assert runner_up.score == pytest.approx(best.score * OTHER_HEAD, abs=1e-6)
    first, second = resolver.resolve("frameworks", limit=2)
    assert first.score == second.score


def test_synonyms_learnt_from_aliases_widen_queries(taxonomy):
    """Words that replace each other between aliases of one skill match each other elsewhere."""
    # "evaluate" and "analyse" replace each other in the survey skill's labels only.
    assert taxonomy.resolve("evaluate test data")[0].skill_id == "test-data"
    # "oversee" and "manage" likewise, learnt from the budget skill.
    assert taxonomy.resolve("oversee test data", limit=3)[0].skill_id == "test-data"


def test_descriptions_resolve_paraphrases(taxonomy):
    """Text that matches only a description still finds the skill, marked as such."""
    best = taxonomy.resolve("tabulate data")[0]
    assert (best.skill_id, best.matched_on) == ("spreadsheets", "description")


def test_resolve_always_returns_candidates_and_threshold_sets_confident(skills):
    """Weak candidates are still returned; only the threshold decides which are confident."""
    strict = SkillResolver(threshold=0.999).fit(skills)
    matches = strict.resolve("kubernets", limit=4)
    assert matches[0].skill_id == "kubernetes"
    assert len(matches) == 4 == len({m.skill_id for m in matches})
    assert not any(m.confident for m in matches)
    assert strict.resolve("k8s")[0].confident  # exact matches always are
    lenient = SkillResolver(threshold=0.0).fit(skills)
    assert all(m.confident for m in lenient.resolve("kubernets", limit=4))
    default = SkillResolver().fit(skills)
    weak = default.resolve("underwater basket weaving")
    assert weak and not any(m.confident for m in weak)
    assert [m.confident for m in default.resolve("kubernets", limit=2)] == [True, False]


def test_results_are_ordered_limited_and_deterministic(resolver):
    """Best score first, at most ``limit`` results, the same answer every time."""
    matches = resolver.suggest("container", limit=4)
    assert len(matches) == 4
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches == resolver.suggest("container", limit=4)
    assert resolver.resolve("aws", limit=0) == []


@pytest.mark.parametrize("text", ["", "   ", "zzzzqqq", "1.2.3"])
def test_nothing_matches_text_that_shares_nothing(resolver, text):
    """Blank text, or text with no n-gram or word of the taxonomy, resolves to nothing."""
    assert resolver.resolve(text) == []
    assert resolver.lookup(text) is None


def test_an_alias_shared_by_two_skills_matches_both():
    """Ambiguous aliases return every skill; lookup picks the best kind, then the smaller id."""
    resolver = SkillResolver().fit(
        [SkillRecord("b-go", "Go", ("golang",)), SkillRecord("a-go", "Go game", ("golang",))]
    )
    assert [m.skill_id for m in resolver.resolve("golang")] == ["a-go", "b-go"]
    assert resolver.lookup("golang") == "a-go"
    assert resolver.lookup("go") == "b-go"  # a name beats an alias


def test_ties_are_broken_by_kind_then_second_signal_then_id():
    """Equal exact matches order by what matched, then by how similar the rest is, then by id."""
    resolver = SkillResolver().fit(
        [
            SkillRecord("a-game", "Go game", ("golang",), "A board game."),
            SkillRecord("b-lang", "Go language", ("golang",), "Programming in golang."),
            SkillRecord("c-golang", "Golang", (), ""),
            SkillRecord("d-twin", "Gopher", (), ""),
            SkillRecord("e-twin", "Gopher", (), ""),
        ]
    )
    matches = resolver.resolve("golang")
    # The name first; then two alias matches, the one whose description agrees first.
    assert [(m.skill_id, m.matched_on, m.score) for m in matches[:3]] == [
        ("c-golang", "name", 1.0),
        ("b-lang", "alias", 1.0),
        ("a-game", "alias", 1.0),
    ]
    twins = [m for m in resolver.resolve("gophers", limit=5) if m.skill_id.endswith("twin")]
    assert [m.skill_id for m in twins] == ["d-twin", "e-twin"]
    assert twins[0].score == twins[1].score


def test_text_helpers():
    """Folding, words and spelled acronyms behave as the resolver relies on."""
    assert fold("Café ÉTUDE") == "cafe etude"
    assert words(fold("The Analysing of databases")) == ["analys", "databas"]
    assert ("os", ("oper", "system")) in spelled_acronyms("install operating system")


def _edits(a: str, b: str) -> int:
    """Return the optimal string alignment distance: insertions, deletions, changes, swaps."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@given(st.text("abc ", max_size=7), st.text("abc ", max_size=7), st.integers(0, 3))
def test_within_edits_is_the_alignment_distance(a, b, k):
    """Texts are within k edits exactly when k changes, insertions, deletions or swaps join them."""
    assert within_edits(a, b, k) == (_edits(a, b) <= k) == within_edits(b, a, k)


@given(st.text("abc", min_size=1, max_size=6), st.data())
def test_every_single_edit_is_found(word, data):
    """Each way of making one edit to a text gives a text within one edit (or the same text)."""
    k = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("abcd"))
    swapped = word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :] if k else word
    dropped, added = word[:k] + word[k + 1 :], word[:k] + letter + word[k:]
    changed = word[:k] + letter + word[k + 1 :]
    for edited in (dropped, added, changed, swapped):
        assert within_edits(word, edited, 1) and (within_edits(word, edited, 0) == (edited == word))


def test_skill_match_keeps_its_positional_fields():
    """SkillMatch gained ``confident`` at the end, defaulting to True (as exact matches are)."""
    assert SkillMatch("aws", "AWS", 1.0, "id") == SkillMatch("aws", "AWS", 1.0, "id", True)


def test_estimator_contract(skills, resolver, taxonomy):
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        SkillResolver().resolve("aws")
    fresh = SkillResolver()
    assert fresh.fit(skills) is fresh
    assert fresh.get_params() == {
        "threshold": 0.75,
        "ngram_range": (2, 4),
        "use_descriptions": True,
        "use_embeddings": True,
        "embedding_store": None,
        "use_product_categories": True,
    }
    for fitted, texts in [
        (resolver, ("kubernets", "k8s", "cloud", "container")),
        (taxonomy, ("CADD", "install OS", "evaluate test data", "KDevelop 4.6.0")),
    ]:
        restored = pickle.loads(pickle.dumps(fitted))
        for text in texts:
            assert restored.resolve(text) == fitted.resolve(text)
    assert SkillResolver().fit([]).resolve("aws") == []
    blank = SkillResolver().fit([SkillRecord("x", "   ")])
    assert blank.resolve("x")[0].skill_id == "x"
    assert blank.resolve("anything") == []


def test_without_descriptions_only_labels_match(skills):
    """``use_descriptions=False`` ignores descriptions, so their words find nothing."""
    labels_only = SkillResolver(use_descriptions=False).fit(skills)
    assert all(m.matched_on != "description" for m in labels_only.resolve("orchestration"))
    assert SkillResolver().fit(skills).resolve("orchestration")[0].skill_id == "kubernetes"


@pytest.mark.parametrize(
    ("scores", "exact", "decisive"),
    [
        ([0.95, 0.7, 0.1], (), True),  # high and far ahead
        ([0.95, 0.9, 0.1], (), False),  # high, but another skill is close
        ([0.8, 0.1], (), False),  # far ahead, but not high enough
        ([0.99, 0.95, 0.7], (0,), True),  # the exact match comes first anyway
        ([0.99, 0.95, 0.9], (0,), False),
        ([0.9], (), True),
        ([], (), False),
    ],
)
def test_text_is_decisive_only_when_one_open_place_is_clearly_won(scores, exact, decisive):
    """The encoder is skipped only when the best text score, exact matches aside, stands out."""
    assert text_is_decisive(np.array(scores, dtype=np.float32), exact) is decisive
