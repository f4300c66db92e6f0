"""Text forms the skill resolver compares: words, stems, acronyms and version-free queries.

Pure string functions over :func:`recommender.text.name_key`, with no data files and no
downloads: English inflections are folded by a few suffix rules, which is enough to make
"implement", "implementing" and "implementation" one word for matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from functools import lru_cache

from recommender.text import name_key

#: Words that say nothing about which skill is meant.
STOPWORDS = frozenset(
    "a an and as at by for from in into of on or over the their to via with within without "
    "&".split()
)

# A version number: "4.6.0", "v2", "v1.2", "3.x", "2.7.18rc1".
_VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.(?:\d+|x))+[a-z0-9]*(?![\w.])|(?<![\w.])v\d+(?![\w.])")
# What :func:`strange_words` may put in or change in a word.
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
# Words of a normalised text; "c++", "c#" and ".net" keep their signs.
_WORD = re.compile(r"\.?[^\W_]+[+#]*")
# An acronym as written: two to six capitals or digits, maybe a plural "s" ("PCBs").
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]{1,5})s?\b")

# Words as acronyms spell them: hyphenated and slashed words count once per part.
_SPELLED = re.compile(r"[^\W_][\w/-]*")
_PARTS = re.compile(r"[-/]")

# Suffixes folded by :func:`stem`, tried longest first; each leaves a stem of 3+ letters.
_SUFFIXES = tuple(
    sorted(
        (
            "ations",
            "ation",
            "ators",
            "ator",
            "ating",
            "ated",
            "ates",
            "ate",
            "ments",
            "ment",
            "ings",
            "ing",
            "ers",
            "er",
            "ed",
            "ies",
            "ied",
            "ysis",
            "yses",
            "yse",
            "ysed",
            "ysing",
            "ise",
            "ize",
            "ised",
            "ized",
            "ising",
            "izing",
            "isation",
            "ization",
            "ity",
            "ities",
            "ive",
            "ives",
            "ness",
            "ance",
            "ence",
            "able",
            "ible",
            "ical",
            "ically",
            "ic",
            "ics",
            "al",
            "als",
            "ally",
            "ly",
            "s",
        ),
        key=len,
        reverse=True,
    )
)
_KEEP_ENDINGS = ("ss", "us", "is", "ys")
# Forms too short for the suffix rules.
_IRREGULAR = {"using": "use", "used": "use", "uses": "use"}
# Suffixes replaced rather than dropped, so "analysis" and "analyse" meet at "analys".
_REPLACE = {
    "ies": "y",
    "ied": "y",
    "ysis": "ys",
    "yses": "ys",
    "yse": "ys",
    "ysed": "ys",
    "ysing": "ys",
}


def fold(text: str) -> str:
    """Return the name key of ``text`` without accents.

    >>> fold("  Café  ANALYTICS ")
    'cafe analytics'
    """
    key = name_key(text)
    if key.isascii():
        return key
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def strip_versions(text: str) -> str:
    """Return ``text`` without version numbers, or unchanged if nothing else would be left.

    >>> strip_versions("KDevelop 4.6.0")
    'KDevelop'
    >>> strip_versions("Python v3 and Java 1.8")
    'Python and Java'
    >>> strip_versions("1.2.3")
    '1.2.3'
    """
    stripped = " ".join(_VERSION.sub(" ", text).split())
    return stripped if stripped else text


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the stem of an English word by folding common suffixes, repeatedly.

    Not a linguist's stemmer: the rules only have to send the forms of one word to the
    same string, and over-folding (``"engine"`` with ``"engineering"``) costs little
    because names are also compared letter by letter.

    >>> {stem(w) for w in ("implement", "implements", "implementing", "implementation")}
    {'impl'}
    >>> stem("databases") == stem("database"), stem("analysis") == stem("analysing")
    (True, True)
    """
    if not word.isalpha():
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    word = word.replace("yz", "ys")
    while len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith(_KEEP_ENDINGS):
                    continue
                base = word[: -len(suffix)]
                word = base + _REPLACE.get(suffix, "")
                break
        else:
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def words(key: str) -> list[str]:
    """Return the stemmed content words of a folded text (see :func:`fold`), in order.

    >>> words(fold("Implementing the ICT-systems, v2"))
    ['impl', 'ict', 'system', 'v2']
    """
    return [stem(w) for w in _WORD.findall(key) if w not in STOPWORDS]


def lead_words(
    names: Iterable[Sequence[str]], *, min_names: int = 4, elsewhere: float = 2.0
) -> frozenset[str]:
    """Return the stems that open the taxonomy's names far more than they stand elsewhere.

    ``names`` are the names' words, as :func:`words` gives them. A stem leads when it opens
    at least ``min_names`` names of two words or more and stands further in names at most
    ``elsewhere`` times as often as it opens one. In ESCO these are the verbs its
    competences are written with ("use CAE software", "manage ICT projects") beside
    knowledge written as a noun ("CAE software"), and a few vendors ("Microsoft Visio").
    Whether a text opens with one tells which form it takes: see :func:`opens_with`.

    >>> names = [words(fold(name)) for name in [
    ...     "use CAE software", "use ICT systems", "use spreadsheets software",
    ...     "use query languages", "software metrics", "software design",
    ...     "software testing", "software architecture", "CAE software"]]
    >>> sorted(lead_words(names))
    ['softwar', 'use']
    >>> sorted(lead_words(names, elsewhere=0.5))
    ['use']
    """
    opens: Counter[str] = Counter()
    stands: Counter[str] = Counter()
    for found in names:
        if len(found) > 1:
            opens[found[0]] += 1
            stands.update(found[1:])
    return frozenset(w for w, n in opens.items() if n >= min_names and stands[w] <= elsewhere * n)


def opens_with(text: str, leads: Container[str]) -> bool:
    """Return whether ``text``'s first content word is one of ``leads`` (stems).

    >>> opens_with("Using CAE software", {"use"}), opens_with("CAE software", {"use"})
    (True, False)
    """
    found = words(fold(text))
    return bool(found) and found[0] in leads


def strange_words(key: str, vocabulary: Container[str]) -> bool:
    """Return whether a folded text has words and none of them is, or nearly is, a known one.

    A word is nearly known when its stem is one edit (a letter dropped, added, changed, or
    two swapped) away from a stem of ``vocabulary`` (as :func:`words` gives them), or when a
    known stem of five letters or more starts it and at most four letters follow (a typo in
    an ending the stemmer then no longer recognises, "presentaion"): a typo of a known word,
    not a name the vocabulary has never seen. Words of one or two characters count for
    neither ("2", "x", "ai" in "Ludus 2", "Pixlr X", "Beautiful.ai"): every such string is
    one edit from some stem of a real taxonomy.

    >>> vocabulary = set(words("erlang presentation software x"))
    >>> strange_words("haiku deck", vocabulary), strange_words("eralng", vocabulary)
    (True, False)
    >>> strange_words("presentaion", vocabulary), strange_words("haiku presentation", vocabulary)
    (False, False)
    >>> strange_words("and", vocabulary), strange_words("pixlr x", vocabulary)
    (False, True)
    """
    found = [w for w in _WORD.findall(key) if w not in STOPWORDS and len(w.lstrip(".")) > 2]
    return bool(found) and not any(_nearly_known(w, vocabulary) for w in found)


def _nearly_known(word: str, vocabulary: Container[str]) -> bool:
    """Return whether ``word`` (folded, not stemmed) is a known word or a typo of one."""
    base = stem(word)
    if base in vocabulary or any(e in vocabulary for e in _one_edit(base)):
        return True
    return any(word[:n] in vocabulary for n in range(max(5, len(word) - 4), len(word)))


def _one_edit(word: str) -> Iterator[str]:
    """Yield the strings one edit away from ``word``, over small letters and digits."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for head, tail in cuts:
        if tail:
            yield head + tail[1:]
            for c in _LETTERS:
                yield head + c + tail[1:]
        if len(tail) > 1:
            yield head + tail[1] + tail[0] + tail[2:]
        for c in _LETTERS:
            yield head + c + tail


def within_edits(a: str, b: str, k: int) -> bool:
    """Return whether at most ``k`` edits turn ``a`` into ``b``.

    An edit drops, adds or changes a letter, or swaps two neighbours, and no letter is
    edited twice (the optimal string alignment distance). Each edit is tried where the texts
    first differ, so a check costs a few string comparisons for small ``k``, whatever the
    texts' length.

    >>> within_edits("kubernetes", "kubernets", 1), within_edits("analyse", "analsye", 1)
    (True, True)
    >>> within_edits("use it tools", "use ict tools", 1), within_edits("data", "tada", 1)
    (True, False)
    >>> within_edits("analyse big data", "nalyse big dat", 2), within_edits("ca", "abc", 2)
    (True, False)
    """
    if abs(len(a) - len(b)) > k:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    a, b = a[i:], b[i:]
    if a == b:
        return True
    if k == 0:
        return False
    tails = [(a[1:], b[1:]), (a[1:], b), (a, b[1:])]
    if len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0]:
        tails.append((a[2:], b[2:]))
    return any(within_edits(x, y, k - 1) for x, y in tails)


def char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """Return the character n-grams of one word padded with spaces, as ``char_wb`` takes them.

    A padded word shorter than ``n`` gives itself once, and no longer n-grams.

    >>> char_ngrams("go", 2, 4)
    [' g', 'go', 'o ', ' go', 'go ', ' go ']
    >>> char_ngrams("c", 2, 4)
    [' c', 'c ', ' c ']
    """
    padded = f" {word} "
    grams = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def written_acronyms(text: str) -> set[str]:
    """Return the acronyms written in capitals in ``text``, case-folded.

    >>> sorted(written_acronyms("Assemble PCBs for the ICT unit"))
    ['ict', 'pcb']
    """
    return {m.casefold() for m in _ACRONYM.findall(text)}


def spelled_acronyms(key: str, *, max_words: int = 4) -> list[tuple[str, tuple[str, ...]]]:
    """Return ``(acronym, stems)`` for every run of 2 to ``max_words`` words of a folded text.

    The acronym takes the first letter of each word, and of each part of a hyphenated or
    slashed word; stop words are skipped, as acronyms usually skip them.

    >>> [a for a, _ in spelled_acronyms("computer-aided design and drafting")]
    ['cad', 'cadd', 'dd']
    >>> dict(spelled_acronyms("install operating system"))["os"]
    ('oper', 'system')
    """
    tokens = [t for t in _SPELLED.findall(key) if t not in STOPWORDS]
    if len(tokens) < 2:
        return []
    initials = [_initials(t) for t in tokens]
    stems = [_stems(t) for t in tokens]
    found = []
    for i in range(len(tokens) - 1):
        acronym, run = initials[i], stems[i]
        for j in range(i + 1, min(len(tokens), i + max_words)):
            acronym += initials[j]
            run += stems[j]
            if len(acronym) <= 8 and acronym.isalnum():
                found.append((acronym, run))
    return found


def _initials(token: str) -> str:
    """Return the first letter of a word, or of each part of a hyphenated or slashed one."""
    if "-" not in token and "/" not in token:
        return token[0]
    return "".join(part[0] for part in _PARTS.split(token) if part)


def _stems(token: str) -> tuple[str, ...]:
    """Return the stems of the words in one token of a folded text."""
    if token.isalnum():
        return () if token in STOPWORDS else (stem(token),)
    return tuple(stem(w) for w in _WORD.findall(token) if w not in STOPWORDS)
