"""Text -> token ids for the sentence encoder: BERT's uncased WordPiece, standard library only.

The encoder's vocabulary (``vocab.txt``, one piece per line, the line number its id) was
learnt on text cleaned, lower-cased, stripped of accents and split at spaces and punctuation
the way BERT's basic tokenizer does it; :class:`WordPiece` repeats those steps exactly, since
a text split differently gets ids the model never saw in training.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

#: Pieces that go around every text, and the piece of an unknown word.
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"
#: Marks a piece that continues a word.
CONTINUATION = "##"
#: A longer word is one unknown piece (BERT's limit).
MAX_WORD_CHARS = 100
#: Words whose pieces are remembered (a taxonomy repeats its words a lot).
MAX_CACHED_WORDS = 200_000


class WordPiece:
    """Split text into the ids of a WordPiece vocabulary, longest known piece first.

    Parameters
    ----------
    vocabulary : sequence of str
        The pieces, in id order.
    max_length : int
        Most ids per text, ``[CLS]`` and ``[SEP]`` included; longer texts are cut.

    Examples
    --------
    >>> pieces = WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "data", "##base", "##s", ","])
    >>> pieces.ids("Databases, data")
    [2, 4, 5, 6, 7, 4, 3]
    """

    def __init__(self, vocabulary: Sequence[str], *, max_length: int = 256):
        self.vocabulary = {piece: k for k, piece in enumerate(vocabulary)}
        self.max_length = max_length
        self._unk = self.vocabulary[UNK]
        self._cls = self.vocabulary[CLS]
        self._sep = self.vocabulary[SEP]
        self._words: dict[str, list[int]] = {}

    @classmethod
    def from_file(cls, path: Path, *, max_length: int = 256) -> WordPiece:
        """Read a ``vocab.txt`` (one piece per line)."""
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and not lines[-1]:
            lines.pop()
        return cls(lines, max_length=max_length)

    def ids(self, text: str, max_length: int | None = None) -> list[int]:
        """Return the ids of ``text`` between ``[CLS]`` and ``[SEP]``, at most ``max_length``.

        ``max_length`` defaults to the tokenizer's own and cannot exceed it.
        """
        ids = [self._cls]
        room = min(max_length or self.max_length, self.max_length) - 1
        for word in basic_words(text):
            ids.extend(self._word_ids(word))
            if len(ids) >= room:
                del ids[room:]
                break
        ids.append(self._sep)
        return ids

    def _word_ids(self, word: str) -> list[int]:
        """Return the pieces of one word, or the unknown piece if some part has none."""
        known = self._words.get(word)
        if known is not None:
            return known
        pieces: list[int] = []
        start = 0 if len(word) <= MAX_WORD_CHARS else len(word)
        if start:
            pieces = [self._unk]
        while start < len(word):
            prefix = CONTINUATION if start else ""
            end = len(word)
            while end > start and prefix + word[start:end] not in self.vocabulary:
                end -= 1
            if end == start:
                pieces = [self._unk]
                break
            pieces.append(self.vocabulary[prefix + word[start:end]])
            start = end
        if len(self._words) < MAX_CACHED_WORDS:
            self._words[word] = pieces
        return pieces


def basic_words(text: str) -> list[str]:
    """Return the words of ``text`` as BERT's uncased basic tokenizer cuts them.

    Control characters go, whitespace of any kind separates, Chinese characters stand
    alone, letters are lower-cased and lose their accents, and every punctuation sign is
    a word of its own.

    >>> basic_words("Café-Bar: C++ & Node.js")
    ['cafe', '-', 'bar', ':', 'c', '+', '+', '&', 'node', '.', 'js']
    """
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or _is_control(char):
            continue
        if _is_whitespace(char):
            cleaned.append(" ")
        elif _is_chinese(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    words = []
    for token in "".join(cleaned).lower().split():
        token = "".join(
            c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn"
        )
        current = ""
        for char in token:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


def _is_whitespace(char: str) -> bool:
    """Tell whether BERT treats the character as a space (tabs and newlines included)."""
    return char in " \t\n\r" or unicodedata.category(char) == "Zs"


def _is_control(char: str) -> bool:
    """Tell whether the character is a control or format character other than a space."""
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def _is_punctuation(char: str) -> bool:
    """Tell whether the character splits words: any ASCII sign (``$``, ``^``) or Unicode P*."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_chinese(code: int) -> bool:
    """Tell whether a code point is a CJK ideograph (BERT puts spaces around them)."""
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
